/**
 * ingestAlert over in-memory ports: opening, appending and the reopen window. Held alerts are in
 * ingest-alert-held.test.ts, lost races and crashes in ingest-alert-races.test.ts.
 */
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
  resolvedAt1030,
  trigger,
} from '../../helpers/ingest-world';
import { objectId, TEST_NOTE } from '../../helpers/memory-stores';

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
  it('when a trigger comes within the window after resolution, then the same incident reopens', async () => {
    const { w } = await resolvedAt1030();
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
    const { w } = await resolvedAt1030();
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
    const { w } = await resolvedAt1030();
    const r = recovery('11:01');
    expect(await w.ingest(r)).toEqual({
      kind: 'held',
      reason: 'the incident resolved before it and its reopen window has passed',
    });
    expect((await w.incidents.findById(objectId(1)))?.version).toBe(1);
    expect(w.alertLog.statusesOf([r])).toEqual(['held']);
  });
});
