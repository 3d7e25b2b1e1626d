/**
 * Races between workers, run as ingestAlert calls on separate MongoDB connections (each connection with its
 * own repositories, as two worker processes have): the database, not this process, must make each alert take
 * effect exactly once.
 */
import type { Connection } from 'mongoose';
import type { Alert } from '../../src/domain/alert';
import { appendAlerts } from '../../src/domain/incident-building';
import { createRepositories } from '../../src/persistence';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { connectMongo } from '../../src/persistence/connection';
import { storedIncidents } from '../helpers/stored-incidents';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { ingestAlert, type IngestDeps, type IngestOutcome } from '../../src/use-cases/ingest-alert';
import type { IncidentStore } from '../../src/use-cases/ports';
import type { Incident } from '../../src/domain/incident';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { at, makeAlert } from '../helpers/alerts';
import { startPipeline, type Pipeline } from '../helpers/pipeline';

const CONNECTIONS = 4;

let pipeline: Pipeline;
let connections: Connection[] = [];

beforeAll(async () => {
  pipeline = await startPipeline({ workers: 0 });
  connections = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => connectMongo(pipeline.config.mongodbUri, { maxPoolSize: 10 })),
  );
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await pipeline?.close();
});

let monitorSeq = 7000;
function newGroup(): { groupKey: string; monitorId: string } {
  monitorSeq += 1;
  return { groupKey: `datadog:monitor:${monitorSeq}`, monitorId: String(monitorSeq) };
}

function alertOn(
  group: { groupKey: string; monitorId: string },
  transition: Alert['transition'],
  hhmm: string,
  host = 'web-1',
): Alert {
  return makeAlert({
    groupKey: group.groupKey,
    transition,
    at: at(hhmm),
    scope: `host:${host}`,
    monitor: { id: group.monitorId, name: 'High error rate on web', url: null, query: null },
  });
}

/** Counts the version-guarded writes that lost their race (the store itself is the real one). */
interface CountingStore extends IncidentStore {
  lostSaves: number;
  lostInserts: number;
}

function countingStore(inner: IncidentStore): CountingStore {
  const store: CountingStore = {
    lostSaves: 0,
    lostInserts: 0,
    findCurrent: (groupKey) => inner.findCurrent(groupKey),
    insertCurrent: async (incident) => {
      const result = await inner.insertCurrent(incident);
      if (result === 'conflict') store.lostInserts += 1;
      return result;
    },
    saveChange: async (next, added) => {
      const saved = await inner.saveChange(next, added);
      if (!saved) store.lostSaves += 1;
      return saved;
    },
    retire: (incident) => inner.retire(incident),
    findById: (id) => inner.findById(id),
    findCurrentMany: (groupKeys) => inner.findCurrentMany(groupKeys),
    saveBatch: async (writes) => {
      const lost = await inner.saveBatch(writes);
      for (const id of lost) {
        if (writes.some((w) => w.kind === 'insert' && w.incident.id === id)) store.lostInserts += 1;
        else store.lostSaves += 1;
      }
      return lost;
    },
    list: (query) => inner.list(query),
    listDetectedBetween: (from, to, limit) => inner.listDetectedBetween(from, to, limit),
  };
  return store;
}

/** The dependencies one worker process would have: its own connection, its own repositories. */
function workerDeps(connection: Connection): IngestDeps & { incidents: CountingStore } {
  const repositories = createRepositories(connection, routingRulesFrom(pipeline.config));
  return {
    incidents: countingStore(repositories.incidents),
    alertLog: repositories.alertLog,
    rules: routingRulesFrom(pipeline.config),
    newIncidentId: IncidentRepository.newId,
    now: () => new Date(),
  };
}

function ingest(deps: IngestDeps, alert: Alert): Promise<IngestOutcome> {
  return ingestAlert(deps, {
    alert,
    receivedAt: new Date(Date.parse(alert.at) + 5_000),
    raw: JSON.stringify({ id: alert.eventId }),
    contentType: 'application/json',
  });
}

const incidentsCollection = () => pipeline.mongo.collection('incidents');
const alertLogCollection = () => pipeline.mongo.collection<AlertLogDoc>('alert_log');

function incidentsOf(groupKey: string): Promise<Incident[]> {
  return storedIncidents(pipeline.mongo, { groupKey });
}

const unique = <T>(values: T[]) => new Set(values).size === values.length;

describe('two workers recovering the last two alerts at the same moment', () => {
  it('when both recoveries are ingested concurrently on two connections, then every incident resolves once, at the later recovery', async () => {
    const [one, two] = [workerDeps(connections[0]!), workerDeps(connections[1]!)];
    const runs = 20;
    for (let i = 0; i < runs; i += 1) {
      const group = newGroup();
      await ingest(one, alertOn(group, 'triggered', '10:00', 'web-1'));
      await ingest(one, alertOn(group, 'triggered', '10:01', 'web-2'));
      const early = alertOn(group, 'recovered', '10:20', i % 2 === 0 ? 'web-1' : 'web-2');
      const late = alertOn(group, 'recovered', '10:30', i % 2 === 0 ? 'web-2' : 'web-1');
      // Half the runs give the later recovery to the first connection, half to the second.
      const [a, b] = i % 4 < 2 ? [early, late] : [late, early];

      const outcomes = await Promise.all([ingest(one, a), ingest(two, b)]);

      expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied']);
      const [incident, ...others] = await incidentsOf(group.groupKey);
      expect(others).toHaveLength(0);
      expect(incident).toMatchObject({
        status: 'resolved',
        resolvedAt: new Date(at('10:30')),
        resolutionCount: 1,
        version: 3,
      });
      expect(incident!.events).toHaveLength(4);
      expect(incident!.timeline.filter((t) => t.kind === 'resolved').map((t) => t.key)).toEqual([
        `resolved:${late.eventId}`,
      ]);
      expect(incident!.timeline.map((t) => t.kind)).toEqual([
        'triggered',
        'triggered',
        'recovered',
        'recovered',
        'resolved',
      ]);
    }
    // The version guard was really raced: some save lost and was decided again from the fresh state.
    expect(one.incidents.lostSaves + two.incidents.lostSaves).toBeGreaterThan(0);
  });
});

describe('many workers racing to open', () => {
  it('when the same triggers reach several connections at once, then each monitor gets one incident with each event once', async () => {
    const deps = connections.map(workerDeps);
    const monitors = 8;
    for (let i = 0; i < monitors; i += 1) {
      const group = newGroup();
      const triggers = [
        alertOn(group, 'triggered', '11:00', 'web-1'),
        alertOn(group, 'triggered', '11:00', 'web-2'),
        alertOn(group, 'triggered', '11:01', 'web-3'),
      ];
      // Every connection ingests every trigger, all at the same moment.
      const calls = triggers.flatMap((alert) => deps.map((d) => ({ alert, d })));
      const outcomes = await Promise.all(calls.map(({ alert, d }) => ingest(d, alert)));

      const applied = outcomes.filter((o) => o.kind === 'applied');
      expect(applied).toHaveLength(triggers.length);
      expect(applied.filter((o) => o.opened)).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(calls.length - triggers.length);

      expect(await incidentsCollection().countDocuments({ groupKey: group.groupKey })).toBe(1);
      const [incident] = await incidentsOf(group.groupKey);
      const eventIds = incident!.events.map((e) => e.eventId);
      expect(unique(eventIds)).toBe(true);
      expect(eventIds.sort()).toEqual(triggers.map((t) => t.eventId).sort());
      expect(unique(incident!.timeline.map((t) => t.key))).toBe(true);
      expect(incident).toMatchObject({ status: 'open', version: triggers.length - 1 });

      const logged = await alertLogCollection().find({ groupKey: group.groupKey }).toArray();
      expect(logged.map((l) => [l.status, String(l.incidentId)])).toEqual(
        triggers.map(() => ['applied', String(incident!.id)]),
      );
    }
    // Opening was really raced: some inserts hit the unique index and re-read the winner.
    expect(deps.reduce((n, d) => n + d.incidents.lostInserts, 0)).toBeGreaterThan(0);
  });
});

describe('the guards the races rest on', () => {
  it('when two incidents are inserted with the same currentKey, then the server answers duplicate key (11000)', async () => {
    const indexes = await incidentsCollection().indexes();
    expect(indexes.find((ix) => ix.name === 'current_per_group')).toMatchObject({
      key: { currentKey: 1 },
      unique: true,
    });

    // Straight to the collection, past mongoose and the repository.
    const raw = pipeline.mongo.collection('incidents');
    await raw.insertOne({ groupKey: 'dup-check', currentKey: 'dup-check', version: 0 });
    await expect(
      raw.insertOne({ groupKey: 'dup-check', currentKey: 'dup-check', version: 0 }),
    ).rejects.toMatchObject({ code: 11000 });

    // And under concurrency, from several connections: exactly one insert wins.
    const results = await Promise.allSettled(
      connections.flatMap((c) =>
        [1, 2, 3].map(() =>
          c.collection('incidents').insertOne({ groupKey: 'dup-race', currentKey: 'dup-race', version: 0 }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 11000 });
    }
    expect(
      await incidentsCollection().countDocuments({ currentKey: { $in: ['dup-check', 'dup-race'] } }),
    ).toBe(2);
  });

  it('when a worker saves a decision made from a stale version, then saveChange returns false and changes nothing', async () => {
    const deps = workerDeps(connections[0]!);
    const group = newGroup();
    await ingest(deps, alertOn(group, 'triggered', '12:00', 'web-1'));
    const stale = await deps.incidents.findCurrent(group.groupKey);
    expect(stale?.version).toBe(0);
    // Another worker changes the incident meanwhile.
    await ingest(workerDeps(connections[1]!), alertOn(group, 'triggered', '12:01', 'web-2'));
    const before = await incidentsOf(group.groupKey);
    expect(before[0]!.version).toBe(1);

    const recovery = alertOn(group, 'recovered', '12:30', 'web-1');
    const { next, added } = appendAlerts(
      stale!,
      [{ alert: recovery, receivedAt: new Date() }],
      deps.rules,
      new Date(),
    );
    expect(next.version).toBe(1);
    expect(next.status).toBe('resolved');

    expect(await deps.incidents.saveChange(next, added)).toBe(false);
    expect(await incidentsOf(group.groupKey)).toEqual(before);
  });

  it('when an applied event is delivered again, then ingestAlert answers duplicate and changes nothing', async () => {
    const deps = workerDeps(connections[0]!);
    const group = newGroup();
    const trigger = alertOn(group, 'triggered', '13:00', 'web-1');
    const recovery = alertOn(group, 'recovered', '13:10', 'web-1');
    await ingest(deps, trigger);
    await ingest(deps, recovery);
    const incidentBefore = await incidentsOf(group.groupKey);
    const logBefore = await alertLogCollection()
      .find({ groupKey: group.groupKey })
      .sort({ _id: 1 })
      .toArray();
    expect(incidentBefore[0]).toMatchObject({ status: 'resolved', version: 1 });

    for (const [alert, d] of [
      [trigger, deps],
      [recovery, workerDeps(connections[1]!)],
    ] as const) {
      const outcome = await ingest(d, alert);
      expect(outcome).toEqual({
        kind: 'duplicate',
        incidentId: incidentBefore[0]!.id,
        after: { status: 'resolved', resolutionCount: 1, version: 1 },
      });
    }

    expect(await incidentsOf(group.groupKey)).toEqual(incidentBefore);
    expect(await alertLogCollection().find({ groupKey: group.groupKey }).sort({ _id: 1 }).toArray()).toEqual(
      logBefore,
    );
  });
});

describe('a held recovery racing the trigger that opens its incident', () => {
  it('when a trigger and its recovery are ingested at the same moment on two connections, then every incident ends resolved with both', async () => {
    const [one, two] = [workerDeps(connections[0]!), workerDeps(connections[1]!)];
    const lost: string[] = [];
    const runs = 20;
    for (let i = 0; i < runs; i += 1) {
      const group = newGroup();
      const trigger = alertOn(group, 'triggered', '15:00', 'web-1');
      const recovery = alertOn(group, 'recovered', '15:10', 'web-1');
      await Promise.all(
        i % 2 === 0
          ? [ingest(one, trigger), ingest(two, recovery)]
          : [ingest(one, recovery), ingest(two, trigger)],
      );
      const [incident] = await incidentsOf(group.groupKey);
      if (incident?.status !== 'resolved' || incident.events.length !== 2)
        lost.push(`${group.groupKey}: ${incident?.status}, ${incident?.events.length} events`);
    }
    expect(lost).toEqual([]);
  });

  it('when the recovery is held while the trigger is between reading held alerts and inserting, then the recovery still joins the incident', async () => {
    const group = newGroup();
    const trigger = alertOn(group, 'triggered', '14:00', 'web-1');
    const recovery = alertOn(group, 'recovered', '14:10', 'web-1');

    // The trigger's worker pauses just before it inserts the incident it decided to open (a slow network is
    // enough for this): by then it has read the held alerts of the group, and found none.
    const opener = workerDeps(connections[0]!);
    let reachedInsert!: () => void;
    const atInsert = new Promise<void>((resolve) => (reachedInsert = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const realInsert = opener.incidents.insertCurrent;
    opener.incidents.insertCurrent = async (incident) => {
      reachedInsert();
      await released;
      return realInsert(incident);
    };

    const opening = ingest(opener, trigger);
    await atInsert;
    // Meanwhile another worker takes the recovery: no incident yet, so it is held (and looked at once more).
    const recoveryOutcome = await ingest(workerDeps(connections[1]!), recovery);
    release();
    const openingOutcome = await opening;

    expect(openingOutcome).toMatchObject({ kind: 'applied', opened: true });
    expect(['held', 'applied']).toContain(recoveryOutcome.kind);
    // Exactly once: the recovery was accepted, so it must end up in the incident, whichever worker puts it there.
    const [incident, ...others] = await incidentsOf(group.groupKey);
    expect(others).toHaveLength(0);
    expect(incident!.events.map((e) => e.eventId).sort()).toEqual([trigger.eventId, recovery.eventId].sort());
    expect(incident).toMatchObject({ status: 'resolved', resolvedAt: new Date(at('14:10')) });
    const logged = await alertLogCollection().findOne({ eventId: recovery.eventId });
    expect(logged).toMatchObject({ status: 'applied' });
  });

  it('when the trigger worker dies right after inserting the incident, then its retry joins the recovery held meanwhile', async () => {
    const group = newGroup();
    const trigger = alertOn(group, 'triggered', '15:00', 'web-1');
    const recovery = alertOn(group, 'recovered', '15:10', 'web-1');
    const opener = workerDeps(connections[0]!);
    // Just before the opener's insert (it has read the held alerts already, and found none), the recovery
    // comes to another worker: no incident yet, so it is held.
    const realInsert = opener.incidents.insertCurrent;
    let recoveryOutcome: IngestOutcome | undefined;
    opener.incidents.insertCurrent = async (incident) => {
      recoveryOutcome = await ingest(workerDeps(connections[1]!), recovery);
      return realInsert(incident);
    };
    // Right after the insert, the opener's database connection drops: the worker dies before it can mark its
    // alert applied or look again for alerts held meanwhile.
    const realMark = opener.alertLog.markApplied.bind(opener.alertLog);
    let failNext = true;
    opener.alertLog.markApplied = async (alerts, incidentId) => {
      if (failNext) {
        failNext = false;
        throw new Error('connection closed');
      }
      return realMark(alerts, incidentId);
    };
    await expect(ingest(opener, trigger)).rejects.toThrow('connection closed');
    expect(recoveryOutcome?.kind).toBe('held');
    expect((await incidentsOf(group.groupKey))[0]).toMatchObject({ status: 'open' });

    // BullMQ runs the job again: the incident has the trigger already, and the recovery must join it now.
    opener.incidents.insertCurrent = realInsert;
    const retried = await ingest(opener, trigger);
    expect(retried).toMatchObject({ kind: 'duplicate', after: { status: 'resolved', resolutionCount: 1 } });
    const [incident, ...others] = await incidentsOf(group.groupKey);
    expect(others).toHaveLength(0);
    expect(incident!.events.map((e) => e.eventId).sort()).toEqual([trigger.eventId, recovery.eventId].sort());
    expect(await alertLogCollection().findOne({ eventId: recovery.eventId })).toMatchObject({
      status: 'applied',
    });
  });
});
