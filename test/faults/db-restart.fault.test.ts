/**
 * The database goes away in the middle of a burst and comes back. The API (in this process, no workers) and one
 * worker process both use a FerretDB of this test's own, which is killed while jobs are in flight and started
 * again on the same port a few seconds later. The webhook path never touches MongoDB, so the API keeps
 * answering 202; the jobs that failed wait out BullMQ's backoff (attempts 12, exponential from 500 ms) and
 * every alert still takes effect exactly once.
 */
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { storedIncidents } from '../helpers/stored-incidents';
import { startFerretDb, type FerretDbServer } from '../helpers/ferretdb';
import {
  duplicatesIn,
  eventIdOf,
  firstIncidentWritten,
  groupKeyOf,
  sendMonitors,
  triggeringMonitors,
} from '../helpers/db-faults';
import { startPipeline, type Pipeline, testEnv } from '../helpers/pipeline';
import { spawnWorker, stopWorker, type WorkerProcess } from '../helpers/processes';

const MONITORS = 40;
const OUTAGE_MS = 3_000;

let ferret: FerretDbServer | undefined;
let pipeline: Pipeline | undefined;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  if (worker) await stopWorker(worker, 5_000);
  // Closing drops the test's database: bring the server back first if a failure left it stopped.
  await ferret?.start().catch(() => undefined);
  await pipeline?.close();
  await ferret?.remove();
});

describe('the database restarted under load', () => {
  it('when FerretDB is killed with jobs in flight and started again, then the API keeps answering 202 and every alert takes effect exactly once', async () => {
    ferret = await startFerretDb();
    const env = testEnv({ MONGODB_URI: ferret.uri, WORKER_CONCURRENCY: '8', WORKER_LOCK_MS: '3000' });
    pipeline = await startPipeline({
      env: { QUEUE_PREFIX: env.QUEUE_PREFIX!, MONGODB_URI: ferret.uri },
      workers: 0,
    });
    const p = pipeline;
    worker = await spawnWorker(env);

    const monitors = triggeringMonitors(MONITORS, 31_000);
    const [early, late] = [monitors.slice(0, 25), monitors.slice(25)];

    // The first 25 monitors; the database dies as soon as the first incident is written, with the rest of
    // those jobs waiting or running.
    const sendingEarly = sendMonitors(p, early, 4);
    await firstIncidentWritten(p, worker);
    await ferret.stop();
    const stoppedAt = Date.now();
    const earlyAnswers = await sendingEarly;
    // Jobs were in flight when it died.
    const counts = await p.queue.getJobCounts('waiting', 'active', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // The other 15 monitors while the database is down: accepted, and fast (Redis alone is on this path).
    const outageAnswers = await sendMonitors(p, late, 4);
    expect(outageAnswers.map((a) => a.status)).toEqual(late.flatMap((m) => m.payloads.map(() => 202)));
    expect(Math.max(...outageAnswers.map((a) => a.ms))).toBeLessThan(1_000);
    expect(Date.now() - stoppedAt).toBeLessThan(OUTAGE_MS);
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - stoppedAt)));
    await ferret.start();

    expect(earlyAnswers.map((a) => a.status)).toEqual(early.flatMap((m) => m.payloads.map(() => 202)));
    await p.drain(60_000);
    // Nothing gave up (a batch that failed meanwhile kept only its failed alerts for the retry).
    expect(await p.queue.getJobCounts('failed')).toEqual({ failed: 0 });

    const all = await storedIncidents(p.mongo);
    const logged = await p.mongo.collection<AlertLogDoc>('alert_log').find({}).toArray();
    expect(all.map((i) => i.groupKey).sort()).toEqual(monitors.map((m) => groupKeyOf(m.id)).sort());
    // Every monitor as it should be; on failure, what became of each of its alerts.
    const wrong = monitors.flatMap((monitor) => {
      const incident = all.find((i) => i.groupKey === groupKeyOf(monitor.id))!;
      const recoveredAt = new Date(Number(monitor.payloads[1]!.date));
      const eventIds = incident.events.map((e) => e.eventId);
      const ok =
        incident.status === 'resolved' &&
        incident.resolvedAt?.getTime() === recoveredAt.getTime() &&
        JSON.stringify([...eventIds].sort()) === JSON.stringify(monitor.payloads.map(eventIdOf).sort()) &&
        duplicatesIn(incident.timeline.map((t) => t.key)).length === 0 &&
        incident.timeline.filter((t) => t.kind === 'resolved').length === 1;
      if (ok) return [];
      return [
        {
          monitor: monitor.id,
          status: incident.status,
          resolvedAt: incident.resolvedAt,
          events: incident.events.map((e) => `${e.eventId} ${e.transition}`),
          timeline: incident.timeline.map((t) => t.key),
          log: logged
            .filter((l) => l.groupKey === groupKeyOf(monitor.id))
            .map((l) => `${l.eventId} ${l.status} ${l.note ?? ''}`),
        },
      ];
    });
    expect(wrong).toEqual([]);

    expect(logged).toHaveLength(2 * MONITORS);
    expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
  });
});
