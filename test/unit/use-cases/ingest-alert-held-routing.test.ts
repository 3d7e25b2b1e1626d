/**
 * ingestAlert over in-memory ports: which incident a held alert joins. The one the routing would send it to,
 * whichever path joins it (an opening, a reopening, a redelivery, a retry): as if it had come after them.
 */
import type { Alert } from '../../../src/domain/alert';
import { acknowledge } from '../../../src/domain/incident-building';
import { at } from '../../helpers/alerts';
import {
  eventIdsOf,
  eventIdsOfAlerts as ids,
  ingestWorld,
  recovery,
  RESOLVED,
  resolvedAt1030,
  trigger,
  type IngestWorld,
} from '../../helpers/ingest-world';
import { objectId } from '../../helpers/memory-stores';

const WINDOW_PASSED = 'the incident resolved before it and its reopen window has passed';
const died = () => {
  throw new Error('worker died');
};

describe('ingestAlert: the incident a held alert joins', () => {
  it('when a late trigger reopens the incident, then the recovery held past its window joins and resolves it again', async () => {
    const { w, opening: a, recovered: r } = await resolvedAt1030();
    const held = recovery('11:05');
    expect(await w.ingest(held)).toEqual({ kind: 'held', reason: WINDOW_PASSED });
    const late = trigger('10:55');
    const outcome = await w.ingest(late);
    const stored = await w.incidents.findById(objectId(1));
    expect(outcome).toEqual({
      kind: 'applied',
      incidentId: objectId(1),
      opened: false,
      before: RESOLVED,
      after: { status: 'resolved', resolutionCount: 2, version: 3 },
      incident: stored,
    });
    expect(eventIdsOf(stored)).toEqual(ids(a, r, late, held));
    expect(stored).toMatchObject({ status: 'resolved', resolvedAt: new Date(at('11:05')), version: 3 });
    expect(w.incidents.all()).toHaveLength(1);
    expect(w.alertLog.statusesOf([late, held])).toEqual(['applied', 'applied']);
    expect(w.alertLog.get(held)?.incidentId).toBe(objectId(1));
  });

  it('when joining after a reopening loses its race, then it re-reads the incident and joins the held alert once', async () => {
    const { w, opening: a, recovered: r } = await resolvedAt1030();
    const held = recovery('11:05');
    await w.ingest(held);
    const late = trigger('10:55');
    const ackAt = new Date(at('11:00'));
    w.incidents.beforeNext('saveChange', () => undefined);
    // Between the reopening write and the join, someone acknowledges the reopened incident.
    w.incidents.beforeNext('saveChange', async () => {
      const current = (await w.incidents.findById(objectId(1)))!;
      await w.incidents.saveChange(
        acknowledge(current, { by: 'bob', at: ackAt, receivedAt: ackAt }, ackAt),
        [],
      );
    });
    const outcome = await w.ingest(late);
    const stored = await w.incidents.findById(objectId(1));
    expect(w.incidents.lostWrites).toBe(1);
    expect(eventIdsOf(stored)).toEqual(ids(a, r, late, held));
    expect(stored).toMatchObject({ status: 'resolved', version: 4 });
    expect(stored?.acknowledgements.map((x) => x.by)).toEqual(['bob']);
    expect(outcome).toMatchObject({ kind: 'applied', after: { status: 'resolved', resolutionCount: 2 } });
    expect(w.alertLog.get(held)).toMatchObject({ status: 'applied', incidentId: objectId(1) });
  });

  it('when a late event moves the resolution later, then the alert held past the old window joins', async () => {
    const { w, opening: a, recovered: r } = await resolvedAt1030();
    const web2Recovery = recovery('10:50', 'web-2');
    const held = recovery('11:05');
    await w.ingest(web2Recovery);
    expect(await w.ingest(held)).toEqual({ kind: 'held', reason: WINDOW_PASSED });
    // web-2 fired 10:40-10:50: the incident reopened and resolved again at 10:50, and its window ends at 11:20.
    const web2Trigger = trigger('10:40', 'web-2');
    expect(await w.ingest(web2Trigger)).toMatchObject({
      kind: 'applied',
      before: RESOLVED,
      after: { status: 'resolved', resolutionCount: 2 },
    });
    const stored = await w.incidents.findById(objectId(1));
    expect(eventIdsOf(stored)).toEqual(ids(a, r, web2Recovery, web2Trigger, held));
    expect(stored?.resolvedAt).toEqual(new Date(at('10:50')));
    expect(w.alertLog.get(held)).toMatchObject({ status: 'applied', incidentId: objectId(1) });
  });

  it('when an applied alert is delivered again, then a recovery held past its window stays held for the next incident', async () => {
    const { w, opening: a, recovered: r } = await resolvedAt1030();
    const web2Recovery = recovery('11:35', 'web-2');
    expect(await w.ingest(web2Recovery)).toEqual({ kind: 'held', reason: WINDOW_PASSED });
    expect(await w.ingest(a)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: RESOLVED });
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
    expect(w.alertLog.statusesOf([web2Recovery])).toEqual(['held']);

    await expectNextIncidentTakes(w, trigger('11:30', 'web-2'), web2Recovery);
  });

  it('when a retry finds its alert in the incident, then a recovery held past its window stays held for the next incident', async () => {
    const w = ingestWorld();
    const a = trigger('10:00');
    const r = recovery('10:30');
    await w.ingest(a);
    w.alertLog.beforeNext('markApplied', died);
    await expect(w.ingest(r)).rejects.toThrow('worker died');
    const web2Recovery = recovery('11:35', 'web-2');
    expect(await w.ingest(web2Recovery)).toEqual({ kind: 'held', reason: WINDOW_PASSED });

    expect(await w.ingest(r)).toEqual({ kind: 'duplicate', incidentId: objectId(1), after: RESOLVED });
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
    expect(w.alertLog.statusesOf([r, web2Recovery])).toEqual(['applied', 'held']);

    await expectNextIncidentTakes(w, trigger('11:30', 'web-2'), web2Recovery);
  });

  it('when a held recovery resolves the incident its trigger opens, then one held past that window stays held', async () => {
    const w = ingestWorld();
    const r = recovery('10:05');
    const web2Recovery = recovery('11:00', 'web-2');
    await w.ingest(r);
    await w.ingest(web2Recovery);
    const a = trigger('10:00');
    expect(await w.ingest(a)).toMatchObject({ kind: 'applied', opened: true, after: RESOLVED });
    expect(eventIdsOf(await w.incidents.findById(objectId(1)))).toEqual(ids(a, r));
    expect(w.alertLog.statusesOf([r, web2Recovery])).toEqual(['applied', 'held']);

    await expectNextIncidentTakes(w, trigger('10:50', 'web-2'), web2Recovery);
  });

  /** The trigger opens incident 2, which takes the held recovery in its insert and so resolves. */
  async function expectNextIncidentTakes(w: IngestWorld, opening: Alert, held: Alert): Promise<void> {
    expect(await w.ingest(opening)).toMatchObject({
      kind: 'applied',
      incidentId: objectId(2),
      opened: true,
      after: RESOLVED,
    });
    const next = await w.incidents.findById(objectId(2));
    expect(eventIdsOf(next)).toEqual(ids(opening, held));
    expect(next).toMatchObject({ status: 'resolved', resolvedAt: new Date(held.at), version: 0 });
    expect(w.incidents.all().map((i) => [i.id, i.status])).toEqual([
      [objectId(1), 'resolved'],
      [objectId(2), 'resolved'],
    ]);
    expect(w.alertLog.get(held)).toMatchObject({ status: 'applied', incidentId: objectId(2) });
  }
});
