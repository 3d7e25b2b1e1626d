/**
 * The database stays away longer than a batch used to be retried. Before alert batches told an unavailable
 * server apart from other failures, a batch had 12 attempts and then sat in the failed set, its accepted
 * alerts never applied. Here the test's own FerretDB is killed mid-burst and kept down until the worker
 * process has logged some batch failing its 13th attempt, which the old limit never allowed; then it is
 * started again and every alert must take effect exactly once, with nothing in the failed set. The API (in
 * this process, no workers) keeps answering 202 meanwhile: its path never touches MongoDB.
 *
 * The backoff is paced fast (ALERT_RETRY_FIRST_MS 20, ALERT_RETRY_MAX_MS 200), so an attempt's length is what
 * sets the outage's: while no server answers, each query waits out the worker's server selection timeout
 * (connectMongo's serverSelectionTimeoutMs, 5 s) before it fails. The worker's concurrency is above the number
 * of batches, so each batch is tried again as soon as its backoff ends, not when a slot frees up.
 */
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { storedIncidents } from '../helpers/stored-incidents';
import { OTHER_FAILURE_ATTEMPTS } from '../../src/queue/alert-retries';
import { QUEUES } from '../../src/queue/jobs';
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

const MONITORS = 30;
/** Above the number of batches the burst makes (a few alerts each). */
const WORKER_CONCURRENCY = 64;
/**
 * The database is down at least this long, and until some batch has failed more than 12 times: 13 attempts
 * of at least one server selection timeout each, with room for an attempt that waits out several.
 */
const MIN_OUTAGE_MS = 8_000;
const MAX_OUTAGE_MS = 180_000;

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

/** The most attempts an alerts batch had made when it failed, from the worker's 'job failed' lines (0 if none). */
function mostAttempts(w: WorkerProcess): number {
  const attempts = w.logs
    .filter((l) => l.msg === 'job failed' && l.queue === QUEUES.alerts)
    .map((l) => (typeof l.attempts === 'number' ? l.attempts : 0));
  return Math.max(0, ...attempts);
}

describe('the database away for longer than the old attempts', () => {
  it(
    'when FerretDB stays down while a batch fails more than 12 times, then no batch gives up and every alert takes effect exactly once',
    async () => {
      ferret = await startFerretDb();
      const env = testEnv({
        MONGODB_URI: ferret.uri,
        WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
        WORKER_LOCK_MS: '3000',
        ALERT_RETRY_FIRST_MS: '20',
        ALERT_RETRY_MAX_MS: '200',
      });
      pipeline = await startPipeline({
        env: { QUEUE_PREFIX: env.QUEUE_PREFIX!, MONGODB_URI: ferret.uri },
        workers: 0,
      });
      const p = pipeline;
      worker = await spawnWorker(env);

      const monitors = triggeringMonitors(MONITORS, 41_000);
      const [early, late] = [monitors.slice(0, 15), monitors.slice(15)];

      // The first 15 monitors; the database dies as soon as the first incident is written, with the rest of
      // those jobs waiting or running.
      const sendingEarly = sendMonitors(p, early, 4).then((a) => a.map((x) => x.status));
      await firstIncidentWritten(p, worker);
      await ferret.stop();
      const stoppedAt = Date.now();
      const earlyStatuses = await sendingEarly;

      // The other 15 monitors while the database is down: accepted all the same.
      const outageStatuses = (await sendMonitors(p, late, 4)).map((a) => a.status);
      for (;;) {
        const downMs = Date.now() - stoppedAt;
        if (downMs >= MIN_OUTAGE_MS && mostAttempts(worker) > OTHER_FAILURE_ATTEMPTS) break;
        // A batch given up on ends the outage early: the assertions below say so.
        if ((await p.queue.getJobCounts('failed')).failed !== 0) break;
        if (downMs > MAX_OUTAGE_MS)
          throw new Error(
            `after ${downMs} ms down, no batch had failed more than ${OTHER_FAILURE_ATTEMPTS} times (at most ${mostAttempts(worker)}); the worker said:\n${worker.lines.slice(-20).join('\n')}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
      const outageMs = Date.now() - stoppedAt;
      // Alerts still to apply, every one of them waiting out the outage: none given up on.
      const pending = await p.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      expect(pending.failed).toBe(0);
      expect(mostAttempts(worker)).toBeGreaterThan(OTHER_FAILURE_ATTEMPTS);
      expect((pending.waiting ?? 0) + (pending.active ?? 0) + (pending.delayed ?? 0)).toBeGreaterThan(0);
      await ferret.start();

      expect(earlyStatuses).toEqual(early.flatMap((m) => m.payloads.map(() => 202)));
      expect(outageStatuses).toEqual(late.flatMap((m) => m.payloads.map(() => 202)));
      await p.drain(60_000);
      process.stderr.write(
        `db-outage: ${p.queuedJobs.size} batches; FerretDB down ${outageMs} ms; a batch failed ${mostAttempts(worker)} times at most\n`,
      );
      expect(await p.queue.getJobCounts('failed')).toEqual({ failed: 0 });
      expect(worker.logs.filter((l) => l.msg === 'alert batch failed for good')).toEqual([]);

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

      // Each accepted alert once in the log, and applied: a recovery held while its trigger waited out the
      // outage is marked applied once the incident takes it.
      expect(logged.map((l) => l.eventId).sort()).toEqual(
        monitors.flatMap((m) => m.payloads.map(eventIdOf)).sort(),
      );
      expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
    },
    MAX_OUTAGE_MS + 90_000,
  );
});
