/**
 * ingestAlert over in-memory ports: alerts held until an incident can take them, and the races of joining
 * them (which incident takes them is in ingest-alert-held-routing.test.ts).
 */
import { acknowledge } from '../../../src/domain/incident-building';
import { at } from '../../helpers/alerts';
import {
  eventIdsOf,
  eventIdsOfAlerts as ids,
  ingestWorld,
  OPEN,
  recovery,
  RESOLVED,
  trigger,
} from '../../helpers/ingest-world';
import { objectId } from '../../helpers/memory-stores';

const NO_INCIDENT = 'no incident is open for it';

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
