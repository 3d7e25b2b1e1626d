/**
 * ingestAlertBatch over in-memory ports: a batch decides the same incidents as the alerts applied one at a
 * time (whatever the batches, the order, the redeliveries), in a handful of reads and writes for the whole
 * batch, and a write that loses its race is decided again, alone.
 */
import type { Alert } from '../../../src/domain/alert';
import type { Incident } from '../../../src/domain/incident';
import { annotateTimeline } from '../../../src/domain/incident-building';
import { projectIncident } from '../../../src/domain/incident-projection';
import { ingestAlertBatch, type BatchResult } from '../../../src/use-cases/ingest-alert-batch';
import type { IngestDeps, IngestOutcome } from '../../../src/use-cases/ingest-alert';
import { at, makeAlert } from '../../helpers/alerts';
import { ingestInput, ingestWorld, type IngestWorld } from '../../helpers/ingest-world';
import { randomInt, seededRandom } from '../../helpers/random';

function alertOf(group: number, host: string, transition: Alert['transition'], hhmm: string): Alert {
  const groupKey = `datadog:monitor:${group}`;
  return makeAlert({
    groupKey,
    alertKey: `${groupKey}|host:${host}`,
    scope: `host:${host}`,
    transition,
    at: at(hhmm),
    monitor: { id: String(group), name: `monitor ${group}`, url: null, query: null },
  });
}

function outcomes(results: BatchResult[]): IngestOutcome[] {
  return results.map((r) => {
    if ('error' in r) throw r.error;
    return r.outcome;
  });
}

/** What the stores hold, in a form two worlds can be compared by. */
function stateOf(w: IngestWorld, alerts: readonly Alert[]) {
  const incidents = w.incidents.all().map((i: Incident) => ({
    groupKey: i.groupKey,
    status: i.status,
    detectedAt: i.detectedAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    resolutionCount: i.resolutionCount,
    events: i.events.map((e) => e.eventId).sort(),
    // Derived from the events, as the repository derives it when it reads an incident (it stores none).
    timeline: annotateTimeline(
      projectIncident(i.events, w.deps.rules).timeline,
      i.notes,
      i.acknowledgements,
    ).map((t) => `${t.at.toISOString()} ${t.kind}`),
    current: w.incidents.currentKeyOf(i.id) === i.groupKey,
  }));
  incidents.sort((a, b) => (a.groupKey + a.detectedAt < b.groupKey + b.detectedAt ? -1 : 1));
  return { incidents, log: w.alertLog.statusesOf(alerts) };
}

/** Counts the calls each port method gets. */
function counted(deps: IngestDeps): { deps: IngestDeps; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return (...args: unknown[]) => {
          calls.set(key, (calls.get(key) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return { deps: { ...deps, incidents: wrap(deps.incidents), alertLog: wrap(deps.alertLog) }, calls };
}

const minute = (n: number) => {
  const h = 9 + Math.floor(n / 60);
  return `${String(h).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
};

describe('a batch of alerts', () => {
  test('when a storm of 200 alerts over 50 monitors arrives as one batch, then each group gets its incident, in one read and one write each of the log and the incidents', async () => {
    const w = ingestWorld();
    const alerts: Alert[] = [];
    for (let g = 1; g <= 50; g += 1) {
      alerts.push(alertOf(g, 'a', 'triggered', '10:00'), alertOf(g, 'b', 'triggered', '10:01'));
      alerts.push(alertOf(g, 'a', 'recovered', '10:10'), alertOf(g, 'b', 'recovered', '10:11'));
    }
    const { deps, calls } = counted(w.deps);
    const results = outcomes(
      await ingestAlertBatch(
        deps,
        alerts.map((a) => ingestInput(a)),
      ),
    );
    expect(results.every((o) => o.kind === 'applied')).toBe(true);
    expect(results.filter((o) => o.kind === 'applied' && o.opened)).toHaveLength(50);
    expect(w.incidents.all()).toHaveLength(50);
    for (const incident of w.incidents.all()) {
      expect(incident).toMatchObject({ status: 'resolved', resolutionCount: 1 });
      expect(incident.events).toHaveLength(4);
    }
    expect(new Set(w.alertLog.statusesOf(alerts))).toEqual(new Set(['applied']));
    // recordMany, findCurrentMany, findHeldMany before opening and again after, saveBatch, settle: nothing else.
    expect(Object.fromEntries(calls)).toEqual({
      recordMany: 1,
      findCurrentMany: 1,
      findHeldMany: 2,
      saveBatch: 1,
      settle: 1,
    });
  });

  test('when a lone trigger opens an incident, then held alerts are read once, after its insert, and those that belong to it join it as one at a time would', async () => {
    const lone = ingestWorld();
    const { deps, calls } = counted(lone.deps);
    outcomes(await ingestAlertBatch(deps, [ingestInput(alertOf(4, 'a', 'triggered', '10:00'))]));
    expect(Object.fromEntries(calls)).toEqual({
      recordMany: 1,
      findCurrentMany: 1,
      findHeldMany: 1,
      saveBatch: 1,
      settle: 1,
    });

    // b's warning and recovery came before any incident (held); a's trigger then opens it.
    const early = [alertOf(5, 'b', 'warn', '09:58'), alertOf(5, 'b', 'recovered', '09:59')];
    const opening = alertOf(5, 'a', 'triggered', '10:00');
    const batched = ingestWorld();
    const oneByOne = ingestWorld();
    for (const alert of early) {
      await oneByOne.ingest(alert);
      outcomes(await ingestAlertBatch(batched.deps, [ingestInput(alert)]));
    }
    expect(batched.alertLog.statusesOf(early)).toEqual(['held', 'held']);
    await oneByOne.ingest(opening);
    const [result] = outcomes(await ingestAlertBatch(batched.deps, [ingestInput(opening)]));
    expect(stateOf(batched, [...early, opening])).toEqual(stateOf(oneByOne, [...early, opening]));
    expect(batched.incidents.all()[0]!.events).toHaveLength(3);
    expect(result).toMatchObject({ kind: 'applied', opened: true, after: { status: 'open' } });
  });

  test('when a group flaps within one batch, then each alert reports what it did, as one at a time would', async () => {
    const w = ingestWorld();
    const alerts = [
      alertOf(7, 'a', 'triggered', '10:00'),
      alertOf(7, 'a', 'recovered', '10:05'),
      alertOf(7, 'a', 'triggered', '10:07'),
    ];
    const results = outcomes(
      await ingestAlertBatch(
        w.deps,
        alerts.map((a) => ingestInput(a)),
      ),
    );
    expect(
      results.map((o) => (o.kind === 'applied' ? [o.before?.status ?? null, o.after.status] : o.kind)),
    ).toEqual([
      [null, 'open'],
      ['open', 'resolved'],
      ['resolved', 'open'],
    ]);
    // Each alert's "after" is a later version than its "before", as separate writes would be.
    const versions = results.map((o) => (o.kind === 'applied' ? o.after.version : -1));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  test('when alerts arrive in any batches and any order, with redeliveries, then the incidents and the log are those of one alert at a time', async () => {
    const random = seededRandom();
    for (let round = 0; round < 40; round += 1) {
      const alerts: Alert[] = [];
      for (let n = 0; n < 30; n += 1) {
        const group = randomInt(random, 1, 4);
        const host = ['a', 'b'][randomInt(random, 0, 1)]!;
        const transition = (['triggered', 'recovered', 'recovered', 'warn', 'acknowledged'] as const)[
          randomInt(random, 0, 4)
        ]!;
        alerts.push(alertOf(group, host, transition, minute(randomInt(random, 0, 180))));
      }
      // Redeliveries of some alerts, anywhere after the first copy.
      const deliveries = [...alerts];
      for (let n = 0; n < 8; n += 1) deliveries.push(alerts[randomInt(random, 0, alerts.length - 1)]!);
      const oneByOne = ingestWorld();
      for (const alert of deliveries) await oneByOne.ingest(alert);

      const batched = ingestWorld();
      for (let start = 0; start < deliveries.length;) {
        const size = randomInt(random, 1, 15);
        const batch = deliveries.slice(start, start + size);
        start += size;
        for (const result of await ingestAlertBatch(
          batched.deps,
          batch.map((a) => ingestInput(a)),
        ))
          if ('error' in result) throw result.error;
      }
      expect({ round, ...stateOf(batched, alerts) }).toEqual({ round, ...stateOf(oneByOne, alerts) });
    }
  });

  test('when open incidents are read without their earlier events, as the store reads them to decide, then the incidents and the log are still those of one alert at a time', async () => {
    const random = seededRandom();
    let summaries = 0;
    for (let round = 0; round < 40; round += 1) {
      const alerts: Alert[] = [];
      // Mostly renotifications later than what came before, some late and some recoveries.
      for (let n = 0; n < 40; n += 1) {
        const group = randomInt(random, 1, 3);
        const host = ['a', 'b'][randomInt(random, 0, 1)]!;
        const transition = (['triggered', 'retriggered', 'retriggered', 'warn', 'recovered'] as const)[
          randomInt(random, 0, 4)
        ]!;
        const late = randomInt(random, 0, 9) === 0;
        alerts.push(alertOf(group, host, transition, minute(late ? randomInt(random, 0, n) : 2 * n)));
      }
      const oneByOne = ingestWorld();
      for (const alert of alerts) await oneByOne.ingest(alert);

      const batched = ingestWorld();
      // The repository's summary read: an open incident's events but its last 3 left unread.
      const whole = batched.deps.incidents;
      const summaryOf = (incident: Incident): Incident => {
        if (incident.status !== 'open' || incident.events.length <= 3) return incident;
        summaries += 1;
        return {
          ...incident,
          events: incident.events.slice(-3),
          timeline: [],
          unreadEventCount: incident.events.length - 3,
        };
      };
      const deps: IngestDeps = {
        ...batched.deps,
        incidents: Object.assign(Object.create(whole) as typeof whole, {
          findCurrentMany: async (keys: readonly string[]) =>
            new Map([...(await whole.findCurrentMany(keys))].map(([k, i]) => [k, summaryOf(i)])),
        }),
      };
      for (let start = 0; start < alerts.length;) {
        const size = randomInt(random, 1, 8);
        for (const result of await ingestAlertBatch(
          deps,
          alerts.slice(start, start + size).map((a) => ingestInput(a)),
        ))
          if ('error' in result) throw result.error;
        start += size;
      }
      expect({ round, ...stateOf(batched, alerts) }).toEqual({ round, ...stateOf(oneByOne, alerts) });
      for (const incident of batched.incidents.all())
        expect({ round, firingAlerts: incident.firingAlerts, lastEvent: incident.lastEvent }).toEqual({
          round,
          firingAlerts: projectIncident(incident.events, batched.deps.rules).firingAlerts,
          lastEvent: projectIncident(incident.events, batched.deps.rules).lastEvent,
        });
    }
    expect(summaries).toBeGreaterThan(100);
  });

  test('when another worker changes an incident just before the batch writes, then that group is decided again and nothing is applied twice', async () => {
    const w = ingestWorld();
    await w.ingest(alertOf(1, 'a', 'triggered', '10:00'));
    await w.ingest(alertOf(2, 'a', 'triggered', '10:00'));
    w.incidents.loseNext('saveBatch');
    const later = [alertOf(1, 'a', 'recovered', '10:10'), alertOf(2, 'a', 'recovered', '10:12')];
    const { deps, calls } = counted(w.deps);
    const results = outcomes(
      await ingestAlertBatch(
        deps,
        later.map((a) => ingestInput(a)),
      ),
    );
    expect(results.map((o) => o.kind)).toEqual(['applied', 'applied']);
    for (const incident of w.incidents.all()) {
      expect(incident.status).toBe('resolved');
      expect(incident.events).toHaveLength(2);
    }
    // Both changes lost (the other writer moved both versions on): each was decided again, alone.
    expect(calls.get('saveChange')).toBe(2);
    expect(w.alertLog.statusesOf(later)).toEqual(['applied', 'applied']);
  });

  test('when two workers apply the same batch at once, then every alert takes effect once', async () => {
    const w = ingestWorld();
    const alerts = [
      alertOf(1, 'a', 'triggered', '10:00'),
      alertOf(1, 'b', 'triggered', '10:01'),
      alertOf(2, 'a', 'triggered', '10:02'),
      alertOf(1, 'a', 'recovered', '10:20'),
    ];
    const inputs = alerts.map((a) => ingestInput(a));
    const [first, second] = await Promise.all([
      ingestAlertBatch(w.deps, inputs),
      ingestAlertBatch(w.deps, inputs),
    ]);
    for (const result of [...first, ...second]) if ('error' in result) throw result.error;
    const incidents = w.incidents.all();
    expect(incidents).toHaveLength(2);
    expect(incidents.flatMap((i) => i.events.map((e) => e.eventId)).sort()).toEqual(
      alerts.map((a) => a.eventId).sort(),
    );
    expect(w.alertLog.statusesOf(alerts)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  test('when the batch cannot record its alerts, then every alert fails, to be retried', async () => {
    const w = ingestWorld();
    const down = new Error('connection refused');
    const deps: IngestDeps = {
      ...w.deps,
      alertLog: { ...w.deps.alertLog, recordMany: () => Promise.reject(down) },
    };
    const results = await ingestAlertBatch(deps, [ingestInput(alertOf(1, 'a', 'triggered', '10:00'))]);
    expect(results).toEqual([{ error: down }]);
    expect(w.incidents.all()).toEqual([]);
  });

  test('when a test notification comes in a batch, then it is recorded as a test and opens nothing', async () => {
    const w = ingestWorld();
    const test = { ...alertOf(3, 'a', 'triggered', '10:00'), isTest: true };
    const results = outcomes(await ingestAlertBatch(w.deps, [ingestInput(test)]));
    expect(results).toEqual([{ kind: 'test' }]);
    expect(w.alertLog.statusesOf([test])).toEqual(['test']);
    expect(w.incidents.all()).toEqual([]);
  });
});
