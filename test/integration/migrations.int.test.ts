/**
 * The migration of incidents written before their events were kept apart: from a database filled the way the
 * earlier code filled it (every event and the timeline in the incident's document), run by two processes at
 * once, it files each event once, removes the old fields, and every incident reads the same after as before.
 */
import { Types, type Connection } from 'mongoose';
import type { Incident } from '../../src/domain/incident';
import { appendAlerts, newIncident } from '../../src/domain/incident-building';
import { createRepositories, prepareDatabase } from '../../src/persistence';
import { connectMongo } from '../../src/persistence/connection';
import { migrate } from '../../src/persistence/migrations';
import { makeAlert } from '../helpers/alerts';
import { objectId } from '../helpers/memory/incident-store';
import { dropTestDatabase, testMongoUri } from '../helpers/servers';
import { storedIncidents } from '../helpers/stored-incidents';

const rules = { openingTransitions: new Set<never>(), reopenWindowSeconds: 600 };
const uri = testMongoUri('hsmig');
let first: Connection;
let second: Connection;
beforeAll(async () => {
  first = await connectMongo(uri);
  second = await connectMongo(uri);
  await prepareDatabase(first);
});
afterAll(async () => {
  await dropTestDatabase(uri);
  await Promise.all([first.close(), second.close()]);
});

const at = (minute: number) => new Date(Date.parse('2026-06-14T10:00:00Z') + minute * 60_000).toISOString();

/** An incident of `n` events (a trigger, renotifications, and a recovery when `resolved`), built by the domain. */
function incidentOf(i: number, n: number, resolved: boolean): Incident {
  const groupKey = `datadog:monitor:mig${i}`;
  const alerts = Array.from({ length: n }, (_, k) =>
    makeAlert({
      groupKey,
      transition: resolved && k === n - 1 ? 'recovered' : k === 0 ? 'triggered' : 'retriggered',
      at: at(k),
    }),
  );
  let incident = newIncident(
    objectId(1000 + i),
    groupKey,
    [{ alert: alerts[0]!, receivedAt: new Date(at(0)) }],
    rules,
    new Date(),
  );
  for (const alert of alerts.slice(1))
    incident = appendAlerts(incident, [{ alert, receivedAt: new Date(alert.at) }], rules, new Date()).next;
  return incident;
}

/** The document the earlier code wrote for an incident: its events and timeline in it, nothing counted. */
function olderDocument(incident: Incident) {
  const { id, events, timeline, filedEventCount: _filed, alertCount: _count, ...state } = incident;
  return { _id: new Types.ObjectId(id), currentKey: incident.groupKey, ...state, events, timeline };
}

describe('filing older incidents’ events apart', () => {
  it('when two processes migrate a database the earlier code filled, then each event is filed once and every incident reads as before', async () => {
    const older = Array.from({ length: 130 }, (_, i) =>
      incidentOf(i, i === 7 ? 80 : 1 + (i % 3), i % 2 === 0),
    );
    await first.collection('incidents').insertMany(older.map(olderDocument));
    const before = await storedIncidents(first, {}, rules);
    expect(before.map((i) => i.events.length)).toEqual(older.map((i) => i.events.length));
    expect(before.map((i) => i.timeline)).toEqual(older.map((i) => i.timeline));

    // One change before the migration: an older incident takes a new event the new way.
    const { incidents } = createRepositories(first, rules);
    const changed = (await incidents.findById(older[1]!.id))!;
    const late = makeAlert({ groupKey: changed.groupKey, transition: 'retriggered', at: at(30) });
    const { next, added } = appendAlerts(
      changed,
      [{ alert: late, receivedAt: new Date() }],
      rules,
      new Date(),
    );
    expect(await incidents.saveChange(next, added)).toBe(true);
    const beforeMigration = await storedIncidents(first, {}, rules);
    expect(beforeMigration[1]!.events.map((e) => e.eventId)).toContain(late.eventId);

    // The marker the empty database got at start-up is removed: this database is one from before.
    await first.collection('migrations').deleteMany({});
    const ran = await Promise.all([migrate(first), migrate(second)]);
    expect(ran.flat()).toContain('incident-events-apart');

    expect(await first.collection('incidents').countDocuments({ events: { $exists: true } })).toBe(0);
    expect(await first.collection('incidents').countDocuments({ timeline: { $exists: true } })).toBe(0);
    const filed = await first.collection('incident_events').find({}).toArray();
    const eventCount = older.reduce((n, i) => n + i.events.length, 0);
    expect(filed).toHaveLength(eventCount);
    expect(new Set(filed.map((e) => e._id)).size).toBe(eventCount);

    const after = await storedIncidents(first, {}, rules);
    // Where an event is kept, and so the order the store lists them in, is the store's business.
    const withoutStorage = (list: Incident[]) =>
      list.map(({ filedEventCount: _f, events, ...rest }) => ({
        ...rest,
        events: [...events].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
      }));
    expect(withoutStorage(after)).toEqual(withoutStorage(beforeMigration));
  });

  it('when the migration has run, then a later start skips it', async () => {
    expect(await migrate(second)).toEqual([]);
    expect(
      await first.collection('migrations').countDocuments({ _id: 'incident-events-apart' } as object),
    ).toBe(1);
  });
});
