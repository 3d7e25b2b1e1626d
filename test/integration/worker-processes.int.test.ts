/**
 * Worker processes (tsx src/main.ts worker) on the test servers: two racing each other over one queue, and one
 * killed with SIGKILL in the middle of its jobs. The API runs in this process (no in-process workers) and
 * shares the processes' queue prefix and database.
 */
import { ALERT_JOB_OPTIONS } from '../../src/queue/alert-publisher';
import { JOBS } from '../../src/queue/jobs';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { storedIncidents } from '../helpers/stored-incidents';
import { datadogPayload, completedAlerts, startPipeline, testEnv, type Pipeline } from '../helpers/pipeline';
import { spawnWorker, stopWorker, type LogLine, type WorkerProcess } from '../helpers/processes';
import { eachLimited, shuffle } from '../helpers/load';
import { randomInt, seededRandom } from '../helpers/random';

const spawned: WorkerProcess[] = [];
const pipelines: Pipeline[] = [];

afterAll(async () => {
  await Promise.all(spawned.map((w) => stopWorker(w, 5_000)));
  for (const p of pipelines) await p.close();
});

/** The environment of the worker processes, and a pipeline (API only) on the same queue and database. */
async function setUp(
  overrides: Record<string, string>,
): Promise<{ env: NodeJS.ProcessEnv; pipeline: Pipeline }> {
  const env = testEnv({ WORKER_CONCURRENCY: '8', ...overrides });
  const pipeline = await startPipeline({
    env: { QUEUE_PREFIX: env.QUEUE_PREFIX!, MONGODB_URI: env.MONGODB_URI! },
    workers: 0,
  });
  pipelines.push(pipeline);
  return { env, pipeline };
}

async function worker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const w = await spawnWorker(env);
  spawned.push(w);
  return w;
}

let monitorSeq = 9000;
const newMonitor = () => String((monitorSeq += 1));
const groupKeyOf = (monitorId: string) => `datadog:monitor:${monitorId}`;
const eventIdOf = (payload: Record<string, string>) => `datadog:${payload.id}`;

/** Posts one payload; returns the id of the job it was queued as. */
async function post(pipeline: Pipeline, payload: Record<string, string>): Promise<string> {
  const res = await pipeline.postDatadog(payload);
  expect(res.status).toBe(202);
  return (res.body as { accepted: { jobId: string }[] }).accepted[0]!.jobId;
}

/** Retries `check` until it passes or `timeoutMs` runs out (a process's log lines reach us a little later). */
async function eventually(check: () => void | Promise<void>, timeoutMs = 3_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; ;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const incidentsIn = (pipeline: Pipeline) => pipeline.mongo.collection('incidents');
const alertLogIn = (pipeline: Pipeline) => pipeline.mongo.collection<AlertLogDoc>('alert_log');

const processed = (w: WorkerProcess): LogLine[] => w.logs.filter((l) => l.msg === 'alert ingested');
const duplicatesIn = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('two worker processes racing', () => {
  it('when a shuffled burst with duplicates reaches two worker processes, then every monitor gets one incident, resolved at its latest recovery', async () => {
    const { env, pipeline } = await setUp({ WORKER_LOCK_MS: '5000' });
    const [a, b] = await Promise.all([worker(env), worker(env)]);
    const random = seededRandom();

    const monitors = Array.from({ length: 20 }, () => newMonitor());
    const expected = new Map<string, { eventIds: string[]; resolvedAt: Date }>();
    const payloads: Record<string, string>[] = [];
    for (const m of monitors) {
      const mine: Record<string, string>[] = [];
      let latest = 0;
      for (const [host, triggerAt] of [
        ['web-1', '2026-06-14T10:00:00Z'],
        ['web-2', '2026-06-14T10:01:00Z'],
      ] as const) {
        // Each host recovers at a random minute between 10:10 and 10:49 (seeded: TEST_SEED replays a run).
        const recoverAt = `2026-06-14T10:${randomInt(random, 10, 49)}:${host === 'web-1' ? '00' : '30'}Z`;
        latest = Math.max(latest, Date.parse(recoverAt));
        mine.push(
          datadogPayload({ monitorId: m, transition: 'Triggered', scope: `host:${host}`, at: triggerAt }),
        );
        mine.push(
          datadogPayload({ monitorId: m, transition: 'Recovered', scope: `host:${host}`, at: recoverAt }),
        );
      }
      expected.set(groupKeyOf(m), { eventIds: mine.map(eventIdOf).sort(), resolvedAt: new Date(latest) });
      payloads.push(...mine);
    }

    // Every payload twice, in shuffled order, and every job queued once more under another id, as a redelivery
    // would be: the copies reach the workers together, and only the database can tell they are one event.
    const copied = new Set<string>();
    await eachLimited(shuffle([...payloads, ...payloads], random), 8, async (p) => {
      const jobId = await post(pipeline, p);
      if (copied.has(jobId)) return;
      copied.add(jobId);
      const data = pipeline.queuedJobs.get(jobId)!;
      await pipeline.queue.add(JOBS.alertBatch, data, { ...ALERT_JOB_OPTIONS, jobId: `again-${jobId}` });
    });
    await pipeline.drain(30_000);

    expect(await pipeline.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    // Every event reached the workers four times (two posts, each copied), and between them they ran each once.
    expect(await completedAlerts(pipeline)).toBe(4 * payloads.length);
    await eventually(() => expect(processed(a).length + processed(b).length).toBe(4 * payloads.length));
    expect(processed(a).length).toBeGreaterThan(0);
    expect(processed(b).length).toBeGreaterThan(0);

    const incidents = await storedIncidents(pipeline.mongo);
    for (const m of monitors) {
      const mine = incidents.filter((i) => i.groupKey === groupKeyOf(m));
      expect(await incidentsIn(pipeline).countDocuments({ groupKey: groupKeyOf(m) })).toBe(1);
      const [incident] = mine;
      const want = expected.get(groupKeyOf(m))!;
      expect(incident).toMatchObject({ status: 'resolved', resolvedAt: want.resolvedAt });
      expect(duplicatesIn(incident!.events.map((e) => e.eventId))).toEqual([]);
      expect(duplicatesIn(incident!.timeline.map((t) => t.key))).toEqual([]);
      expect(incident!.events.map((e) => e.eventId).sort()).toEqual(want.eventIds);
      expect(incident!.timeline.filter((t) => t.kind === 'resolved')).toHaveLength(1);
    }
    expect(incidents).toHaveLength(monitors.length);

    const logged = await alertLogIn(pipeline).find({}).toArray();
    expect(logged).toHaveLength(payloads.length);
    expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
    const incidentOf = new Map(incidents.map((i) => [i.groupKey, i.id]));
    for (const l of logged) expect(String(l.incidentId)).toBe(incidentOf.get(l.groupKey));
  });
});

describe('a worker killed in the middle of its jobs', () => {
  it('when worker A is killed with jobs active and worker B takes them over, then every accepted alert takes effect exactly once', async () => {
    const { env, pipeline } = await setUp({ WORKER_LOCK_MS: '1000' });
    const incidentsCollection = incidentsIn(pipeline);
    const a = await worker(env);

    // 50 monitors: web-1 and web-2 trigger; on every other monitor both recover 20 minutes later. All the
    // triggers come first: recoveries then mostly find their incident open, except where A died holding it.
    const monitors = Array.from({ length: 50 }, () => newMonitor());
    const recovered = new Set(monitors.filter((_, i) => i % 2 === 0));
    const hosts = ['web-1', 'web-2'];
    const payloads = [
      ...monitors.flatMap((m) =>
        hosts.map((host) =>
          datadogPayload({
            monitorId: m,
            transition: 'Triggered',
            scope: `host:${host}`,
            at: '2026-06-14T10:00:00Z',
          }),
        ),
      ),
      ...[...recovered].flatMap((m) =>
        hosts.map((host) =>
          datadogPayload({
            monitorId: m,
            transition: 'Recovered',
            scope: `host:${host}`,
            at: '2026-06-14T10:20:00Z',
          }),
        ),
      ),
    ];
    expect(payloads).toHaveLength(150);

    const accepted: string[] = [];
    const sending = eachLimited(payloads, 8, async (p) => {
      await post(pipeline, p);
      accepted.push(eventIdOf(p));
    });

    // Kill A as soon as its first incidents are in MongoDB: it is in the middle of its burst.
    const deadline = Date.now() + 20_000;
    while ((await incidentsCollection.countDocuments({})) === 0) {
      if (Date.now() > deadline)
        throw new Error(`no incident appeared; worker A said:\n${a.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    a.kill('SIGKILL');
    expect(await a.exited).toMatchObject({ signal: 'SIGKILL' });
    // With A dead, the active list holds exactly the jobs A died with (no other worker exists yet to move them).
    const orphaned = (await pipeline.queue.getActive()).map((j) => j.id!);
    expect(orphaned.length).toBeGreaterThan(0);
    const doneByA = new Set(processed(a).map((l) => l.jobId as string));
    expect(doneByA.size).toBeLessThan(payloads.length);

    await sending;
    expect(accepted).toHaveLength(payloads.length);
    const b = await worker(env);
    await pipeline.drain(30_000);

    // B found A's jobs stalled and ran them.
    await eventually(() => {
      const doneByB = new Set(processed(b).map((l) => l.jobId as string));
      expect(orphaned.filter((id) => !doneByB.has(id))).toEqual([]);
    });
    // Each completed (and was removed from Redis at once) after BullMQ saw it stalled.
    await eventually(() => {
      for (const id of orphaned) {
        expect(pipeline.completedJobs.has(id)).toBe(true);
        expect(pipeline.stalledJobs.has(id)).toBe(true);
      }
    });
    expect(await pipeline.queue.getJobCounts('completed')).toEqual({ completed: 0 });
    expect(await pipeline.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    expect(await completedAlerts(pipeline)).toBe(payloads.length);

    // Exactly once: every accepted alert is one event of one incident, none twice, none missing.
    const incidents = await storedIncidents(pipeline.mongo);
    const eventIds = incidents.flatMap((i) => i.events.map((e) => e.eventId));
    expect(duplicatesIn(eventIds)).toEqual([]);
    const logged = await alertLogIn(pipeline).find({}).toArray();
    const missing = [...new Set(accepted)].filter((id) => !eventIds.includes(id));
    // On failure, says what became of each lost alert.
    expect(
      missing.map((id) => {
        const log = logged.find((l) => l.eventId === id);
        return { id, alert: log?.alertKey, at: log?.at, status: log?.status, note: log?.note };
      }),
    ).toEqual([]);
    expect(eventIds).toHaveLength(new Set(accepted).size);
    expect(eventIds.sort()).toEqual([...new Set(accepted)].sort());
    expect(incidents.map((i) => i.groupKey).sort()).toEqual(monitors.map(groupKeyOf).sort());
    for (const incident of incidents) {
      const monitorId = incident.groupKey.replace('datadog:monitor:', '');
      expect([monitorId, incident.status]).toEqual([
        monitorId,
        recovered.has(monitorId) ? 'resolved' : 'open',
      ]);
      expect(duplicatesIn(incident.timeline.map((t) => t.key))).toEqual([]);
    }
    expect(logged).toHaveLength(payloads.length);
    expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
  });
});
