/**
 * The in-memory ports the use-case tests run on: their unique keys and version guards must fire as the
 * repositories' do, or the use-case tests would prove nothing about races.
 */
import type { Alert } from '../../src/domain/alert';
import type { Incident } from '../../src/domain/incident';
import { appendAlerts, newIncident } from '../../src/domain/incident-building';
import { currentIncidentDocument, incidentChange } from '../../src/persistence/incident.repository';
import { alertLogDocument, appliedUpdate } from '../../src/persistence/alert-log.repository';
import {
  INCIDENT_STATE_FIELDS,
  MemoryActionItemStore,
  MemoryAlertLog,
  MemoryDeliveryStore,
  MemoryIncidentStore,
  MemoryPostmortemStore,
  objectId,
  TEST_NOTE,
} from '../helpers/memory-stores';
import { at, makeAlert } from '../helpers/alerts';
import { itemOf, postmortemOf, seededIncident } from '../helpers/insights';
import { actionItem } from '../helpers/postmortems';

const rules = { openingTransitions: new Set(['triggered', 'retriggered'] as const) };
const now = new Date(at('12:00'));

function incident(id: string, groupKey = 'datadog:monitor:42', ...alerts: Alert[]): Incident {
  const first =
    alerts.length > 0 ? alerts : [makeAlert({ groupKey, transition: 'triggered', at: at('10:00') })];
  return newIncident(
    id,
    groupKey,
    first.map((alert) => ({ alert, receivedAt: new Date(alert.at) })),
    rules,
    now,
  );
}

function grown(current: Incident, alert: Alert) {
  return appendAlerts(current, [{ alert, receivedAt: new Date(alert.at) }], rules, now);
}

describe('MemoryIncidentStore', () => {
  it('when a group already has a current incident, then inserting another conflicts and the first stays current', async () => {
    const store = new MemoryIncidentStore();
    expect(await store.insertCurrent(incident(objectId(1)))).toBe('inserted');
    expect(await store.insertCurrent(incident(objectId(2)))).toBe('conflict');
    expect((await store.findCurrent('datadog:monitor:42'))?.id).toBe(objectId(1));
    expect(store.all().map((i) => i.id)).toEqual([objectId(1)]);
    expect(store.lostWrites).toBe(1);
  });

  it('when an id is inserted twice, even for another group, then the second insert conflicts', async () => {
    const store = new MemoryIncidentStore();
    await store.insertCurrent(incident(objectId(1), 'group-a'));
    expect(await store.insertCurrent(incident(objectId(1), 'group-b'))).toBe('conflict');
    expect(await store.findCurrent('group-b')).toBeNull();
  });

  it('when an id is not an ObjectId, then writes throw and reads find nothing, as in the repository', async () => {
    const store = new MemoryIncidentStore();
    await expect(store.insertCurrent(incident('inc-1'))).rejects.toThrow(/not an ObjectId/);
    await expect(store.list({ limit: 10, cursor: 'nope' })).rejects.toThrow(/not an ObjectId/);
    expect(await store.findById('inc-1')).toBeNull();
  });

  it('when a change names the stored version, then it is saved with the added events pushed', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    const { next, added } = grown(first, makeAlert({ transition: 'recovered', at: at('10:30') }));
    expect(await store.saveChange(next, added)).toBe(true);
    const stored = await store.findById(objectId(1));
    expect(stored).toEqual(next);
    expect(stored?.version).toBe(1);
    expect(stored?.status).toBe('resolved');
  });

  it('when a change is decided from a stale version, then it is refused and nothing changes', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    const a = grown(first, makeAlert({ transition: 'recovered', at: at('10:30') }));
    const b = grown(first, makeAlert({ transition: 'triggered', at: at('10:31'), scope: 'host:web-2' }));
    expect(await store.saveChange(a.next, a.added)).toBe(true);
    expect(await store.saveChange(b.next, b.added)).toBe(false);
    expect(await store.findById(objectId(1))).toEqual(a.next);
    expect(store.lostWrites).toBe(1);
  });

  it('when a change is saved, then only events passed as added are pushed and identity is kept', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    const { next } = grown(first, makeAlert({ transition: 'recovered', at: at('10:30') }));
    const renamed = { ...next, groupKey: 'other', createdAt: new Date(0) };
    expect(await store.saveChange(renamed, [])).toBe(true);
    const stored = (await store.findById(objectId(1)))!;
    expect(stored.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(stored.groupKey).toBe('datadog:monitor:42');
    expect(stored.createdAt).toEqual(now);
    expect(stored.status).toBe('resolved');
  });

  it('when the repository builds its documents, then the memory store sets the same fields', () => {
    const first = incident(objectId(1));
    // Stored, not derived: how many events there are (so a read knows whether some are filed apart).
    const stored = [...INCIDENT_STATE_FIELDS.filter((f) => f !== 'timeline'), 'eventCount'].sort();
    expect(Object.keys(incidentChange(first, []).update.$set).sort()).toEqual(stored);
    const identity = ['_id', 'groupKey', 'currentKey', 'pendingEvents', 'createdAt'];
    expect(Object.keys(currentIncidentDocument(first).document).sort()).toEqual(
      [...identity, ...stored].sort(),
    );
  });

  it('when an incident is retired at its version, then its group has none current and may open another', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    expect(await store.retire(first)).toBe(true);
    expect(store.currentKeyOf(objectId(1))).toBe(`datadog:monitor:42#${objectId(1)}`);
    expect((await store.findById(objectId(1)))?.version).toBe(1);
    expect(await store.findCurrent('datadog:monitor:42')).toBeNull();
    expect(await store.insertCurrent(incident(objectId(2)))).toBe('inserted');
    expect(await store.retire(first)).toBe(false);
  });

  it('when callers change objects they passed in or got back, then nothing stored changes', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    first.services.push('mutated');
    const read = (await store.findById(objectId(1)))!;
    read.events.pop();
    read.detectedAt.setTime(0);
    const again = (await store.findById(objectId(1)))!;
    expect(again.services).toEqual(['web']);
    expect(again.events).toHaveLength(1);
    expect(again.detectedAt).toEqual(new Date(at('10:00')));
  });

  it('when incidents are listed, then filters apply, newest id comes first and the cursor pages on', async () => {
    const store = new MemoryIncidentStore();
    for (let n = 1; n <= 4; n += 1) await store.insertCurrent(incident(objectId(n), `group-${n}`));
    const resolved = grown(
      (await store.findById(objectId(2)))!,
      makeAlert({ groupKey: 'group-2', transition: 'recovered', at: at('10:30'), services: ['api'] }),
    );
    await store.saveChange(resolved.next, resolved.added);
    const page1 = await store.list({ limit: 2 });
    expect(page1.items.map((i) => i.id)).toEqual([objectId(4), objectId(3)]);
    expect(page1.nextCursor).toBe(objectId(3));
    expect(page1.items[0]?.events).toEqual([]);
    expect(page1.items[0]?.timeline).toEqual([]);
    const page2 = await store.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2).toMatchObject({ nextCursor: null });
    expect(page2.items.map((i) => i.id)).toEqual([objectId(2), objectId(1)]);
    expect((await store.list({ limit: 9, status: 'resolved' })).items.map((i) => i.id)).toEqual([
      objectId(2),
    ]);
    expect((await store.list({ limit: 9, service: 'api' })).items.map((i) => i.id)).toEqual([objectId(2)]);
  });

  it('when a hook is set before the next write, then it runs once there, and not before its own writes', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    const theirs = grown(first, makeAlert({ transition: 'triggered', at: at('10:10'), scope: 'host:web-2' }));
    const ours = grown(first, makeAlert({ transition: 'recovered', at: at('10:30') }));
    const runs: string[] = [];
    store.beforeNext('saveChange', async () => {
      runs.push('hook');
      expect(await store.saveChange(theirs.next, theirs.added)).toBe(true);
    });
    expect(await store.saveChange(ours.next, ours.added)).toBe(false);
    expect(runs).toEqual(['hook']);
    expect(await store.findById(objectId(1))).toEqual(theirs.next);
  });

  it('when the next writes are set to lose, then that many lose to a version moved on, then writes succeed', async () => {
    const store = new MemoryIncidentStore();
    const first = incident(objectId(1));
    await store.insertCurrent(first);
    store.loseNext('saveChange', 2);
    for (let round = 0; round < 3; round += 1) {
      const current = (await store.findById(objectId(1)))!;
      const { next, added } = grown(current, makeAlert({ transition: 'recovered', at: at('10:30') }));
      expect(await store.saveChange(next, added)).toBe(round === 2);
    }
    expect((await store.findById(objectId(1)))?.version).toBe(3);
    expect(store.lostWrites).toBe(2);
    store.loseNext('retire');
    expect(await store.retire((await store.findById(objectId(1)))!)).toBe(false);
  });
});

describe('MemoryAlertLog', () => {
  const entry = (alert: Alert) => ({
    source: alert.source,
    eventId: alert.eventId,
    groupKey: alert.groupKey,
    alertKey: alert.alertKey,
    at: new Date(alert.at),
    receivedAt: new Date(alert.at),
    contentType: 'application/json',
    raw: '{}',
    alert,
  });

  it('when an alert is recorded twice, then the second time returns the status the first left', async () => {
    const log = new MemoryAlertLog();
    const alert = makeAlert({ transition: 'triggered', at: at('10:00') });
    expect(await log.record(entry(alert))).toBeNull();
    expect(log.get(alert)).toMatchObject({ status: 'received', incidentId: null, note: null });
    expect(await log.record(entry(alert))).toBe('received');
    await log.markApplied([alert], objectId(1));
    expect(await log.record(entry(alert))).toBe('applied');
    expect(log.get(alert)).toMatchObject({ status: 'applied', incidentId: objectId(1), note: null });
  });

  it('when the repository builds its documents, then records and applied marks carry the same fields', async () => {
    const log = new MemoryAlertLog();
    const alert = makeAlert({ transition: 'triggered', at: at('10:00') });
    await log.record(entry(alert));
    const { alertJson, updatedAt: _recordedAt, ...fields } = alertLogDocument(entry(alert));
    expect(log.get(alert)).toEqual({ ...fields, alert: JSON.parse(alertJson) });
    await log.markApplied([alert], objectId(1));
    const { updatedAt: _appliedAt, ...applied } = appliedUpdate(objectId(1), now).$set;
    expect(log.get(alert)).toEqual({ ...fields, ...applied, alert: JSON.parse(alertJson) });
  });

  it('when an alert was applied or was a test, then marking it held changes nothing', async () => {
    const log = new MemoryAlertLog();
    const applied = makeAlert({ transition: 'recovered', at: at('10:00') });
    const test = makeAlert({ transition: 'recovered', at: at('10:00'), isTest: true });
    const held = makeAlert({ transition: 'recovered', at: at('10:00') });
    for (const a of [applied, test, held]) await log.record(entry(a));
    await log.markApplied([applied], objectId(1));
    await log.markTest(test);
    await log.markHeld(held, 'first reason');
    for (const a of [applied, test, held]) await log.markHeld(a, 'no incident is open for it');
    expect(log.statusesOf([applied, test, held])).toEqual(['applied', 'test', 'held']);
    expect(log.get(test)?.note).toBe(TEST_NOTE);
    expect(log.get(held)?.note).toBe('no incident is open for it');
  });

  it('when an alert was never recorded, then marks do not create it', async () => {
    const log = new MemoryAlertLog();
    const alert = makeAlert({ transition: 'triggered', at: at('10:00') });
    await log.markApplied([alert], objectId(1));
    await log.markHeld(alert, 'x');
    await log.markTest(alert);
    expect(log.get(alert)).toBeNull();
  });

  it('when held alerts are read, then only the group held ones at or after `since` come, oldest first', async () => {
    const log = new MemoryAlertLog();
    const late = makeAlert({ transition: 'recovered', at: at('10:20') });
    const onTime = makeAlert({ transition: 'recovered', at: at('10:00') });
    const early = makeAlert({ transition: 'recovered', at: at('09:59') });
    const other = makeAlert({ groupKey: 'other', transition: 'recovered', at: at('10:10') });
    const received = makeAlert({ transition: 'recovered', at: at('10:10') });
    for (const a of [late, onTime, early, other, received]) await log.record(entry(a));
    for (const a of [late, onTime, early, other]) await log.markHeld(a, 'held');
    const found = await log.findHeld('datadog:monitor:42', new Date(at('10:00')));
    expect(found.map((r) => r.eventId)).toEqual([onTime.eventId, late.eventId]);
  });

  it('when more than 1000 alerts are held, then one read returns the oldest 1000', async () => {
    const log = new MemoryAlertLog();
    for (let n = 0; n < 1001; n += 1) {
      const alert = makeAlert({
        transition: 'recovered',
        at: new Date(Date.UTC(2026, 5, 14, 10, 0, n)).toISOString(),
      });
      await log.record(entry(alert));
      await log.markHeld(alert, 'held');
    }
    const found = await log.findHeld('datadog:monitor:42', new Date(0));
    expect(found).toHaveLength(1000);
    expect(found[999]?.at).toEqual(new Date(Date.UTC(2026, 5, 14, 10, 0, 999)));
  });
});

describe('MemoryPostmortemStore and MemoryActionItemStore', () => {
  const postmortem = (incidentId: string, version: number) => ({
    incidentId,
    status: 'draft' as const,
    facts: { resolutionCount: 1 } as never,
    sections: {} as never,
    version,
    draftedAt: now,
    updatedAt: now,
    publishedAt: null,
  });

  it('when an incident has a postmortem, then a second insert conflicts and changes are version-guarded', async () => {
    const store = new MemoryPostmortemStore();
    expect(await store.insert(postmortem('i1', 1))).toBe('inserted');
    expect(await store.insert(postmortem('i1', 1))).toBe('conflict');
    expect(await store.saveChange(postmortem('i1', 3))).toBe(false);
    expect(await store.saveChange(postmortem('i1', 2))).toBe(true);
    expect(await store.saveChange(postmortem('i1', 2))).toBe(false);
    expect(await store.saveChange(postmortem('i2', 1))).toBe(false);
    expect((await store.find('i1'))?.version).toBe(2);
    expect(store.lostWrites).toBe(4);
    store.loseNext('saveChange');
    expect(await store.saveChange(postmortem('i1', 3))).toBe(false);
    expect((await store.find('i1'))?.version).toBe(3);
  });

  it('when an action item is changed or deleted, then only at its version and under its incident', async () => {
    const store = new MemoryActionItemStore();
    const item = actionItem({ id: 'a1', task: 'fix', incidentId: 'i1' });
    await store.insert(item);
    await expect(store.insert(item)).rejects.toMatchObject({ code: 11000 });
    expect(await store.find('i2', 'a1')).toBeNull();
    expect(await store.saveChange({ ...item, incidentId: 'i2', version: 2 })).toBe(false);
    expect(await store.saveChange({ ...item, version: 3 })).toBe(false);
    expect(await store.saveChange({ ...item, task: 'fix it', version: 2 })).toBe(true);
    expect(await store.delete(item)).toBe(false);
    store.loseNext('delete');
    expect(await store.delete({ ...item, version: 2 })).toBe(false);
    expect(await store.delete({ ...item, version: 3 })).toBe(true);
    expect(await store.find('i1', 'a1')).toBeNull();
    expect(store.lostWrites).toBe(4);
  });

  it('when action items are listed, then filters apply, by deadline (none first), for an incident by creation', async () => {
    const store = new MemoryActionItemStore();
    const day = (d: number) => new Date(Date.UTC(2019, 6, d));
    await store.insert(actionItem({ id: 'c', task: 'c', deadline: '2019-07-10', createdAt: day(3) }));
    await store.insert(actionItem({ id: 'b', task: 'b', deadline: null, createdAt: day(1) }));
    await store.insert(
      actionItem({ id: 'a', task: 'a', deadline: '2019-07-02', createdAt: day(2), status: 'done' }),
    );
    await store.insert(
      actionItem({ id: 'd', task: 'd', deadline: '2019-07-02', createdAt: day(4), incidentId: 'x' }),
    );
    expect((await store.list({})).map((i) => i.id)).toEqual(['b', 'a', 'd', 'c']);
    expect((await store.list({ status: 'open' })).map((i) => i.id)).toEqual(['b', 'd', 'c']);
    expect((await store.list({ overdueBefore: '2019-07-10' })).map((i) => i.id)).toEqual(['a', 'd']);
    const ofIncident = await store.listForIncident(actionItem({ id: '', task: '' }).incidentId);
    expect(ofIncident.map((i) => i.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('MemoryDeliveryStore', () => {
  const delivery = (id: string, createdAt: Date, incidentId: string | null = 'i1') => ({
    id,
    targetId: 'ops',
    event: 'incident.opened' as const,
    subjectId: 'i1',
    revision: 0,
    incidentId,
    body: '{}',
    createdAt,
  });

  it('when a delivery is created twice, then the second call creates nothing and keeps the first', async () => {
    const store = new MemoryDeliveryStore();
    expect(await store.createIfAbsent(delivery('d1', now))).toBe(true);
    expect(await store.createIfAbsent({ ...delivery('d1', now), body: '{"again":true}' })).toBe(false);
    expect(await store.findById('d1')).toMatchObject({ body: '{}', status: 'pending', attempts: 0 });
  });

  it('when attempts are recorded, then only a pending delivery counts them', async () => {
    const store = new MemoryDeliveryStore();
    await store.createIfAbsent(delivery('d1', now));
    await store.createIfAbsent(delivery('d2', now));
    const t = new Date(at('12:05'));
    expect(await store.recordFailure('d1', { error: 'timeout', statusCode: null, final: false, at: t })).toBe(
      true,
    );
    expect(await store.markDelivered('d1', { statusCode: 200, at: t })).toBe(true);
    expect(await store.markDelivered('d1', { statusCode: 200, at: t })).toBe(false);
    expect(await store.findById('d1')).toMatchObject({ status: 'delivered', attempts: 2, deliveredAt: t });
    expect(await store.recordFailure('d2', { error: '500', statusCode: 500, final: true, at: t })).toBe(true);
    expect(await store.recordFailure('d2', { error: '500', statusCode: 500, final: true, at: t })).toBe(
      false,
    );
    expect(await store.findById('d2')).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
    expect(await store.markDelivered('missing', { statusCode: 200, at: t })).toBe(false);
  });

  it("when an incident's deliveries are listed, then oldest come first and others are left out", async () => {
    const store = new MemoryDeliveryStore();
    await store.createIfAbsent(delivery('d2', new Date(at('10:00'))));
    await store.createIfAbsent(delivery('d1', new Date(at('10:00'))));
    await store.createIfAbsent(delivery('d0', new Date(at('11:00'))));
    await store.createIfAbsent(delivery('daily', new Date(at('09:00')), null));
    expect((await store.listByIncident('i1')).map((d) => d.id)).toEqual(['d1', 'd2', 'd0']);
  });
});

describe('the reads Insights makes', () => {
  const detected = (id: string, iso: string) =>
    seededIncident({ id, detectedAt: iso, resolvedAt: new Date(Date.parse(iso) + 60_000).toISOString() });

  it('when incidents are listed by detection, then [from, to) bounds them, earliest first then by id, at most the limit', async () => {
    const store = new MemoryIncidentStore();
    const times = {
      [objectId(1)]: '2026-06-01T00:00:00.000Z', // at `from`: in
      [objectId(2)]: '2026-05-31T23:59:59.999Z', // before: out
      [objectId(3)]: '2026-06-15T00:00:00.000Z',
      [objectId(4)]: '2026-07-01T00:00:00.000Z', // at `to`: out
      [objectId(5)]: '2026-06-15T00:00:00.000Z', // same time as 3: after it by id
      [objectId(6)]: '2026-06-10T00:00:00.000Z',
    };
    for (const [id, iso] of Object.entries(times)) await store.insertCurrent(detected(id, iso));
    const from = new Date('2026-06-01T00:00:00Z');
    const to = new Date('2026-07-01T00:00:00Z');
    const ids = async (limit: number) => (await store.listDetectedBetween(from, to, limit)).map((i) => i.id);
    expect(await ids(10)).toEqual([objectId(1), objectId(6), objectId(3), objectId(5)]);
    expect(await ids(2)).toEqual([objectId(1), objectId(6)]);
    const [first] = await store.listDetectedBetween(from, to, 1);
    expect(first).toMatchObject({ timeline: [], alerts: [], notes: [] });
    expect(first!.events).toHaveLength(2);
  });

  it('when postmortems and items of several incidents are read, then each comes once, items by incident then creation', async () => {
    const postmortems = new MemoryPostmortemStore();
    const a = detected(objectId(1), '2026-06-01T00:00:00.000Z');
    const b = detected(objectId(2), '2026-06-02T00:00:00.000Z');
    await postmortems.insert(postmortemOf(a, 'draft'));
    await postmortems.insert(postmortemOf(b, 'published'));
    const found = await postmortems.findStatuses([b.id, 'none', b.id]);
    expect(found.map((p) => [p.incidentId, p.status])).toEqual([[b.id, 'published']]);
    expect(await postmortems.findStatuses([])).toEqual([]);

    const items = new MemoryActionItemStore();
    const day = (d: number) => new Date(Date.UTC(2026, 5, d));
    const later = itemOf(b.id, { createdAt: day(3) });
    const earlier = itemOf(b.id, { createdAt: day(1) });
    const ofA = itemOf(a.id, { createdAt: day(5) });
    for (const item of [later, earlier, ofA, itemOf('other', { createdAt: day(1) })])
      await items.insert(item);
    const listed = await items.listForIncidents([b.id, a.id]);
    expect(listed.map((i) => i.id)).toEqual([ofA.id, earlier.id, later.id]);
  });
});
