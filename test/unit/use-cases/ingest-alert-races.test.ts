/**
 * ingestAlert when workers race or die: each lost race played deterministically (another worker's ingest run
 * just before one of our writes), and each crash as a write that throws; the alert still applies exactly once.
 */
import { IngestConflictError } from '../../../src/use-cases/ingest-alert';
import {
  eventIdsOf,
  eventIdsOfAlerts as ids,
  GROUP,
  ingestInput,
  ingestWorld,
  logEntryOf,
  OPEN,
  recovery,
  RESOLVED,
  trigger,
} from '../../helpers/ingest-world';
import { objectId } from '../../helpers/memory-stores';

const died = () => {
  throw new Error('worker died');
};

describe('ingestAlert: lost races', () => {
  it('when another worker changes the incident first, then the alert is decided again on what it wrote', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const b = trigger('10:10', 'web-2');
    const c = recovery('10:20');
    await w.ingest(a);
    w.incidents.beforeNext('saveChange', () => w.ingest(b));
    const outcome = await w.ingest(c);
    const stored = await w.incidents.findById(objectId(1));
    expect(w.incidents.lostWrites).toBe(1);
    expect(eventIdsOf(stored)).toEqual(ids(a, b, c));
    expect(stored?.version).toBe(2);
    // Decided on the state with b: web-2 still fires, so c's recovery does not resolve the incident.
    expect(stored?.status).toBe('open');
    expect(stored?.alerts.map((x) => [x.scope, x.status])).toEqual([
      ['host:web-1', 'recovered'],
      ['host:web-2', 'triggered'],
    ]);
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: false,
      before: OPEN,
      after: OPEN,
      incident: stored,
    });
    expect(w.alertLog.statusesOf([b, c])).toEqual(['applied', 'applied']);
  });

  it("when another worker opens the group's incident first, then the alert joins it instead of opening another", async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const b = trigger('10:01', 'web-2');
    w.incidents.beforeNext('insertCurrent', () => w.ingest(b));
    const outcome = await w.ingest(a);
    // b's worker took the second id: ours (1) lost the insert.
    expect(w.incidents.all().map((i) => i.id)).toEqual([objectId(2)]);
    const stored = await w.incidents.findById(objectId(2));
    expect(eventIdsOf(stored)).toEqual(ids(b, a));
    expect(stored?.version).toBe(1);
    expect(w.incidents.lostWrites).toBe(1);
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(2),
      opened: false,
      before: OPEN,
      after: OPEN,
      incident: stored,
    });
    expect(w.alertLog.get(a)).toMatchObject({ status: 'applied', incidentId: objectId(2) });
  });

  it('when another worker retires the old incident and opens the next first, then the alert joins that one', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    const t1 = trigger('11:31');
    const t2 = trigger('11:32', 'web-2');
    w.incidents.beforeNext('retire', () => w.ingest(t2));
    const outcome = await w.ingest(t1);
    expect(w.incidents.all().map((i) => [i.id, i.status, i.version])).toEqual([
      [objectId(1), 'resolved', 2],
      [objectId(2), 'open', 1],
    ]);
    expect(eventIdsOf(await w.incidents.findById(objectId(2)))).toEqual(ids(t2, t1));
    expect(outcome).toMatchObject({ kind: 'applied', incidentId: objectId(2), opened: false, before: OPEN });
  });

  it('when the old incident is changed before it is retired, then it is retired at its new version', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    w.incidents.loseNext('retire');
    const outcome = await w.ingest(trigger('11:31'));
    expect(w.incidents.lostWrites).toBe(1);
    // Version 1 after the recovery, 2 by the other writer, 3 when retired.
    expect(w.incidents.all().map((i) => [i.id, i.version])).toEqual([
      [objectId(1), 3],
      [objectId(2), 0],
    ]);
    expect(w.incidents.currentKeyOf(objectId(1))).toBe(`${GROUP}#${objectId(1)}`);
    expect(outcome).toMatchObject({ kind: 'applied', incidentId: objectId(2), opened: true, before: null });
  });

  it('when 49 writes in a row lose their race, then the 50th round still applies the alert', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    w.incidents.loseNext('saveChange', 49);
    const r = recovery('10:30');
    expect(await w.ingest(r)).toMatchObject({ kind: 'applied', after: RESOLVED });
    expect((await w.incidents.findById(objectId(1)))?.version).toBe(50);
  });

  it('when 50 writes in a row lose their race, then it gives up with IngestConflictError, applying nothing', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    await w.ingest(a);
    w.incidents.loseNext('saveChange', 50);
    const r = recovery('10:30');
    const error = await w.ingest(r).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestConflictError);
    expect((error as Error).message).toBe(
      `gave up on ${r.eventId} after 50 concurrent changes; the job will be retried`,
    );
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a));
    expect(w.alertLog.statusesOf([r])).toEqual(['received']);
  });

  it('when retiring loses 50 times in a row, then it gives up with IngestConflictError and opens nothing', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    w.incidents.loseNext('retire', 50);
    await expect(w.ingest(trigger('11:31'))).rejects.toBeInstanceOf(IngestConflictError);
    expect(w.incidents.all().map((i) => i.id)).toEqual([objectId(1)]);
  });

  it('when joining held alerts loses 50 times in a row, then it gives up with IngestConflictError', async () => {
    const w = ingestWorld();
    const r = recovery('10:05');
    w.incidents.beforeNext('insertCurrent', () => w.ingest(r));
    w.incidents.loseNext('saveChange', 50);
    await expect(w.ingest(trigger('10:00'))).rejects.toBeInstanceOf(IngestConflictError);
    expect(w.alertLog.statusesOf([r])).toEqual(['held']);
  });

  it('when joining held alerts loses 49 times in a row, then the 50th round joins them', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    w.incidents.beforeNext('insertCurrent', () => w.ingest(r));
    w.incidents.loseNext('saveChange', 49);
    expect(await w.ingest(a)).toMatchObject({ kind: 'applied', opened: true, after: RESOLVED });
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
  });
});

describe('ingestAlert: redeliveries and retries after a crash', () => {
  it('when an applied alert is delivered again, then nothing is written and the incident is still reported', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    await w.ingest(a);
    const before = await w.incidents.findById(objectId(1));
    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: OPEN });
    expect(await w.incidents.findById(objectId(1))).toEqual(before);
  });

  it('when an applied alert is delivered again after its first run died, then it joins the alerts held meanwhile', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    w.incidents.beforeNext('insertCurrent', () => w.ingest(r));
    w.incidents.beforeNext('saveChange', died);
    await expect(w.ingest(a)).rejects.toThrow('worker died');
    expect(w.alertLog.statusesOf([a, r])).toEqual(['applied', 'held']);

    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: RESOLVED });
    const stored = await w.incidents.findById(objectId(1));
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(stored?.version).toBe(1);
    expect(w.alertLog.get(r)).toMatchObject({ status: 'applied', incidentId: objectId(1) });
  });

  it('when an alert applied to a since-retired incident comes again, then it is not added to the new one', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:30');
    const t = trigger('11:31');
    for (const alert of [a, r, t]) await w.ingest(alert);
    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(2), after: OPEN });
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
    expect(eventIdsOf(await w.incidents.findById(objectId(2)))).toEqual(ids(t));
  });

  it('when an applied alert comes again and its group has no incident, then it is a duplicate of none', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    await w.alertLog.record(logEntryOf(ingestInput(a)));
    await w.alertLog.markApplied([a], objectId(9));
    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: null, after: null });
    expect(w.incidents.all()).toEqual([]);
    expect(w.alertLog.get(a)).toMatchObject({ status: 'applied', incidentId: objectId(9) });
  });

  it('when the incident has the alert but its log was not marked, then the retry marks every event applied', async () => {
    const w = ingestWorld();
    const r = recovery('10:05');
    const a = trigger('10:00');
    await w.ingest(r);
    w.alertLog.beforeNext('markApplied', died);
    await expect(w.ingest(a)).rejects.toThrow('worker died');
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
    expect(w.alertLog.statusesOf([a, r])).toEqual(['received', 'held']);

    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: RESOLVED });
    expect(w.alertLog.statusesOf([a, r])).toEqual(['applied', 'applied']);
    expect(w.alertLog.get(r)?.incidentId).toBe(objectId(1));
    const stored = await w.incidents.findById(objectId(1));
    expect(stored?.version).toBe(0);
    expect(w.incidents.all()).toHaveLength(1);
  });

  it('when the incident has the alert but its run died before joining held alerts, then the retry joins them', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    w.incidents.beforeNext('insertCurrent', () => w.ingest(r));
    w.alertLog.beforeNext('markApplied', died);
    await expect(w.ingest(a)).rejects.toThrow('worker died');

    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: RESOLVED });
    const stored = await w.incidents.findById(objectId(1));
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(stored?.version).toBe(1);
    expect(w.alertLog.statusesOf([a, r])).toEqual(['applied', 'applied']);
  });
});
