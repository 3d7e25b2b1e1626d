/**
 * Redis goes away under a steady trickle of webhooks and comes back on the same port. The API (this process)
 * and one worker process use a redis-server of this test's own, run as the docker-compose Redis is: append-only
 * file, fsync on every write, so what Redis acknowledged before a SIGKILL is there after the restart. While
 * it is down, the API answers 503 at once; the sender retries each 503 as Datadog would. Every alert then
 * takes effect exactly once: those accepted before the stop (kept by the AOF), those refused and retried, and
 * those accepted after the restart.
 */
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { storedIncidents } from '../helpers/stored-incidents';
import { datadogPayload, startPipeline, testEnv, type Pipeline } from '../helpers/pipeline';
import { spawnWorker, stopWorker, type WorkerProcess } from '../helpers/processes';
import { startRedisServer, type RedisServer } from '../helpers/servers';

const MONITORS = 50;
const TICK_MS = 50; // 20 webhooks a second
const STOP_AFTER_MS = 1_500;
const OUTAGE_MS = 2_500;
const RETRY_MS = 300;

let redis: RedisServer | undefined;
let pipeline: Pipeline | undefined;
let worker: WorkerProcess | undefined;

afterAll(async () => {
  if (worker) await stopWorker(worker, 5_000);
  // If the test failed while Redis was down, bring it back first so the pipeline can close cleanly.
  await redis?.start().catch(() => undefined);
  await pipeline?.close();
  await redis?.remove();
});

const groupKeyOf = (monitorId: string) => `datadog:monitor:${monitorId}`;
const eventIdOf = (payload: Record<string, string>) => `datadog:${payload.id}`;
const duplicatesIn = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivery {
  payload: Record<string, string>;
  /** Every answer, with when it was asked (ms since the start) and how long it took. */
  answers: { status: number; at: number; ms: number }[];
}

describe('Redis restarted under a trickle of webhooks', () => {
  it('when Redis is killed and started again, then the API answers 503 quickly meanwhile and every alert, accepted or retried, takes effect exactly once', async () => {
    redis = await startRedisServer({ appendOnly: true });
    const env = testEnv({ REDIS_URL: redis.url, WORKER_CONCURRENCY: '8', WORKER_LOCK_MS: '2000' });
    pipeline = await startPipeline({
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: env.QUEUE_PREFIX!, MONGODB_URI: env.MONGODB_URI! },
      workers: 0,
    });
    const p = pipeline;
    // The test's own queue handles reconnect by themselves; without a listener BullMQ prints every refusal.
    for (const q of [p.queue, p.postmortemQueue, p.notificationQueue]) q.on('error', () => undefined);
    worker = await spawnWorker(env);

    // Monitor m triggers at tick m and recovers five monitors later: triggers and recoveries interleave.
    const monitors = Array.from({ length: MONITORS }, (_, m) => String(63_000 + m));
    const triggers = monitors.map((id) =>
      datadogPayload({ monitorId: id, transition: 'Triggered', at: '2026-06-14T10:00:00Z' }),
    );
    const recoveries = monitors.map((id) =>
      datadogPayload({ monitorId: id, transition: 'Recovered', at: '2026-06-14T10:20:00Z' }),
    );
    const sequence: Record<string, string>[] = [];
    for (let i = 0; i < MONITORS + 5; i += 1) {
      if (i < MONITORS) sequence.push(triggers[i]!);
      if (i >= 5) sequence.push(recoveries[i - 5]!);
    }

    const t0 = Date.now();
    const since = () => Date.now() - t0;
    const deliver = async (payload: Record<string, string>): Promise<Delivery> => {
      const delivery: Delivery = { payload, answers: [] };
      for (const deadline = Date.now() + 30_000; ;) {
        const at = since();
        const res = await p.postDatadog(payload);
        delivery.answers.push({ status: res.status, at, ms: since() - at });
        if (res.status !== 503 || Date.now() > deadline) return delivery;
        await sleep(RETRY_MS);
      }
    };
    const sending: Promise<Delivery>[] = [];
    const ticking = (async () => {
      for (const [i, payload] of sequence.entries()) {
        await sleep(Math.max(0, i * TICK_MS - since()));
        sending.push(deliver(payload));
      }
    })();

    await sleep(STOP_AFTER_MS);
    await redis.stop();
    const stoppedAt = since();
    await sleep(OUTAGE_MS);
    const restartingAt = since();
    await redis.start();
    const restartedAt = since();
    await ticking;
    const deliveries = await Promise.all(sending);

    // Every alert was accepted in the end; while Redis was down, the refusals came at once.
    expect(deliveries.filter((d) => d.answers.at(-1)!.status !== 202).map((d) => d.answers)).toEqual([]);
    const refusals = deliveries.flatMap((d) => d.answers.filter((a) => a.status === 503));
    expect(refusals.length).toBeGreaterThan(0);
    expect(Math.max(...refusals.map((a) => a.ms))).toBeLessThan(3_500);
    // Nothing was accepted while Redis was down (asked well after the stop, answered before the restart).
    const acceptedDuringOutage = deliveries.flatMap((d) =>
      d.answers.filter((a) => a.status === 202 && a.at > stoppedAt + 100 && a.at + a.ms < restartingAt),
    );
    expect(acceptedDuringOutage).toEqual([]);
    // The API accepted again soon after Redis was back.
    const firstAfter = Math.min(
      ...deliveries.flatMap((d) =>
        d.answers.filter((a) => a.status === 202 && a.at >= restartedAt).map((a) => a.at),
      ),
    );
    expect(firstAfter - restartedAt).toBeLessThan(5_000);
    const acceptedBefore = deliveries.filter(
      (d) => d.answers[0]!.status === 202 && d.answers[0]!.at < stoppedAt,
    );
    expect(acceptedBefore.length).toBeGreaterThan(0);
    const retried = deliveries.filter((d) => d.answers.length > 1);
    expect(retried.length).toBeGreaterThan(0);

    await p.drain(60_000);
    expect(await p.queue.getJobCounts('failed')).toEqual({ failed: 0 });

    // Exactly once, for every alert: those Redis acknowledged before the kill are in its append-only file.
    const incidents = await storedIncidents(p.mongo);
    const logged = await p.mongo.collection<AlertLogDoc>('alert_log').find({}).toArray();
    const eventIds = incidents.flatMap((i) => i.events.map((e) => e.eventId));
    expect(duplicatesIn(eventIds)).toEqual([]);
    const missing = sequence.map(eventIdOf).filter((id) => !eventIds.includes(id));
    expect(
      missing.map((id) => {
        const d = deliveries.find((x) => eventIdOf(x.payload) === id)!;
        return { id, answers: d.answers, log: logged.find((l) => l.eventId === id)?.status };
      }),
    ).toEqual([]);
    expect(incidents.map((i) => i.groupKey).sort()).toEqual(monitors.map(groupKeyOf).sort());
    for (const incident of incidents) {
      expect([incident.groupKey, incident.status, incident.events.length]).toEqual([
        incident.groupKey,
        'resolved',
        2,
      ]);
      expect(duplicatesIn(incident.timeline.map((t) => t.key))).toEqual([]);
    }
    expect(logged).toHaveLength(sequence.length);
    expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
  });
});
