/**
 * ingestAlert over in-memory ports: the exactly-once decision loop, with each race it must survive played
 * deterministically (another worker's ingest run just before one of our writes).
 */
import { acknowledge } from '../../../src/domain/incident-building';
import { at, makeAlert } from '../../helpers/alerts';
import {
  eventIdsOf,
  eventIdsOfAlerts as ids,
  GROUP,
  INGEST_NOW,
  ingestWorld,
  OPEN,
  recovery,
  RESOLVED,
  trigger,
} from '../../helpers/ingest-world';
import { objectId, TEST_NOTE } from '../../helpers/memory-stores';

const NO_INCIDENT = 'no incident is open for it';

describe('ingestAlert: opening and appending', () => {
  it('when a trigger comes for a group with no incident, then it opens one holding the event', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const outcome = await w.ingest(a, at('10:01'));
    const stored = await w.incidents.findById(objectId(1));
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: true,
      before: null,
      after: OPEN,
      incident: stored,
    });
    expect(stored).toMatchObject({ groupKey: GROUP, version: 0, status: 'open', title: a.title });
    expect(stored?.events).toEqual([
      expect.objectContaining({ eventId: a.eventId, receivedAt: new Date(at('10:01')) }),
    ]);
    expect(stored?.createdAt).toEqual(new Date(INGEST_NOW));
    expect(await w.incidents.findCurrent(GROUP)).toEqual(stored);
  });

  it('when an alert is ingested, then the log keeps what came in and which incident it went to', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    await w.ingest(a, at('10:01'));
    expect(w.alertLog.get(a)).toEqual({
      source: 'datadog',
      eventId: a.eventId,
      groupKey: GROUP,
      alertKey: a.alertKey,
      at: new Date(a.at),
      receivedAt: new Date(at('10:01')),
      contentType: 'application/json',
      raw: JSON.stringify({ id: a.eventId }),
      alert: a,
      status: 'applied',
      incidentId: objectId(1),
      note: null,
    });
  });

  it('when the last firing alert recovers, then the recovery is appended and resolves the incident', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:30');
    await w.ingest(a);
    const outcome = await w.ingest(r);
    const stored = await w.incidents.findById(objectId(1));
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: false,
      before: OPEN,
      after: RESOLVED,
      incident: stored,
    });
    expect(stored).toMatchObject({ version: 1, resolvedAt: new Date(at('10:30')), durationSeconds: 1800 });
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(w.incidents.all()).toHaveLength(1);
    expect(w.alertLog.get(r)).toMatchObject({ status: 'applied', incidentId: objectId(1) });
  });

  it('when a test notification comes, then it is logged as a test and opens nothing', async () => {
    const w = ingestWorld();
    const t = makeAlert({ transition: 'triggered', at: at('10:00'), isTest: true });
    expect(await w.ingest(t)).toEqual({ kind: 'test' });
    expect(w.alertLog.get(t)).toMatchObject({ status: 'test', note: TEST_NOTE, incidentId: null });
    expect(w.incidents.all()).toEqual([]);
    expect(await w.ingest(t)).toEqual({ kind: 'test' });
    expect(w.incidents.all()).toEqual([]);
  });
});

describe('ingestAlert: the reopen window', () => {
  async function resolvedAt1030() {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    return w;
  }

  it('when a trigger comes within the window after resolution, then the same incident reopens', async () => {
    const w = await resolvedAt1030();
    const t = trigger('11:00');
    const outcome = await w.ingest(t);
    expect(outcome).toMatchObject({
      kind: 'applied',
      incidentId: objectId(1),
      opened: false,
      before: RESOLVED,
      after: { status: 'open', resolutionCount: 1 },
    });
    expect(w.incidents.all().map((i) => [i.id, i.status, i.version])).toEqual([[objectId(1), 'open', 2]]);
  });

  it('when a trigger comes after the window, then a new incident opens and the old one is retired', async () => {
    const w = await resolvedAt1030();
    const t = trigger('11:01');
    const outcome = await w.ingest(t);
    expect(outcome).toMatchObject({
      kind: 'applied',
      incidentId: objectId(2),
      opened: true,
      before: null,
      after: OPEN,
    });
    expect(w.incidents.all().map((i) => [i.id, i.status, i.version])).toEqual([
      [objectId(1), 'resolved', 2],
      [objectId(2), 'open', 0],
    ]);
    expect(w.incidents.currentKeyOf(objectId(1))).toBe(`${GROUP}#${objectId(1)}`);
    expect((await w.incidents.findCurrent(GROUP))?.id).toBe(objectId(2));
    expect(eventIdsOf(await w.incidents.findById(objectId(2)))).toEqual(ids(t));
  });

  it('when a recovery comes after the window with nothing open, then it is held, not added to the old one', async () => {
    const w = await resolvedAt1030();
    const r = recovery('11:01');
    expect(await w.ingest(r)).toEqual({
      kind: 'held',
      reason: 'the incident resolved before it and its reopen window has passed',
    });
    expect((await w.incidents.findById(objectId(1)))?.version).toBe(1);
    expect(w.alertLog.statusesOf([r])).toEqual(['held']);
  });
});

describe('ingestAlert: held alerts', () => {
  it('when a recovery comes before its trigger, then it is held and joins the incident the trigger opens', async () => {
    const w = ingestWorld();
    const r = recovery('10:05');
    const a = trigger('10:00');
    expect(await w.ingest(r)).toEqual({ kind: 'held', reason: NO_INCIDENT });
    expect(w.alertLog.get(r)).toMatchObject({ status: 'held', note: NO_INCIDENT, incidentId: null });
    expect(w.incidents.all()).toEqual([]);

    const outcome = await w.ingest(a);
    expect(outcome).toMatchObject({
      kind: 'applied',
      incidentId: objectId(1),
      opened: true,
      after: RESOLVED,
    });
    const stored = await w.incidents.findById(objectId(1));
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    // Joined in the insert itself, not by a second write.
    expect(stored?.version).toBe(0);
    expect(w.alertLog.get(r)).toMatchObject({ status: 'applied', incidentId: objectId(1), note: null });
  });

  it('when a held alert is older than the reopen window before the trigger, then it stays held', async () => {
    const w = ingestWorld();
    const old = recovery('09:29');
    const recent = recovery('09:30', 'web-2');
    await w.ingest(old);
    await w.ingest(recent);
    const a = trigger('10:00');
    await w.ingest(a);
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, recent));
    expect(w.alertLog.statusesOf([old, recent])).toEqual(['held', 'applied']);
  });

  it('when an alert is held while the incident is being written, then the second read joins it', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    w.incidents.beforeNext('insertCurrent', async () => {
      expect(await w.ingest(r)).toEqual({ kind: 'held', reason: NO_INCIDENT });
    });
    const outcome = await w.ingest(a);
    const stored = await w.incidents.findById(objectId(1));
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: true,
      before: null,
      after: RESOLVED,
      incident: stored,
    });
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(stored?.version).toBe(1);
    expect(w.alertLog.statusesOf([a, r])).toEqual(['applied', 'applied']);
    expect(w.alertLog.get(r)?.incidentId).toBe(objectId(1));
  });

  it('when joining a held alert loses its race, then it re-reads the incident and joins it once', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    const ackAt = new Date(at('10:02'));
    w.incidents.beforeNext('insertCurrent', () => w.ingest(r));
    w.incidents.beforeNext('saveChange', async () => {
      const current = (await w.incidents.findById(objectId(1)))!;
      await w.incidents.saveChange(
        acknowledge(current, { by: 'alice', at: ackAt, receivedAt: ackAt }, ackAt),
        [],
      );
    });
    const outcome = await w.ingest(a);
    const stored = await w.incidents.findById(objectId(1));
    expect(w.incidents.lostWrites).toBe(1);
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(stored?.version).toBe(2);
    expect(stored?.acknowledgements.map((x) => x.by)).toEqual(['alice']);
    expect(outcome).toMatchObject({ kind: 'applied', opened: true, after: RESOLVED, incident: stored });
  });

  it('when an incident opens while an alert is being marked held, then the alert is appended at its second look', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:05');
    w.alertLog.beforeNext('markHeld', () => w.ingest(a));
    const outcome = await w.ingest(r);
    const stored = await w.incidents.findById(objectId(1));
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: false,
      before: OPEN,
      after: RESOLVED,
      incident: stored,
    });
    expect(eventIdsOf(stored)).toEqual(ids(a, r));
    expect(w.alertLog.get(r)).toMatchObject({ status: 'applied', incidentId: objectId(1), note: null });
  });
});
