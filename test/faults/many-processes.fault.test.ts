/**
 * Many processes on one queue and one database: two API instances (two express apps on the same QUEUE_PREFIX
 * and MONGODB_URI, as two replicas behind a load balancer) and three worker processes. Every alert is posted
 * to both APIs, a third of them once more, and those are also queued again under another job id (a redelivery
 * BullMQ cannot recognise): the workers then race on the same alert, and only the database can tell.
 */
import { ALERT_JOB_OPTIONS } from '../../src/queue/alert-publisher';
import { JOBS } from '../../src/queue/jobs';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { storedIncidents } from '../helpers/stored-incidents';
import { datadogPayload, completedAlerts, startPipeline, testEnv, type Pipeline } from '../helpers/pipeline';
import { spawnWorker, stopWorker, type WorkerProcess } from '../helpers/processes';
import { eachLimited, shuffle } from '../helpers/load';
import { randomInt, seededRandom } from '../helpers/random';

const MONITORS = 15;
const HOSTS = ['web-1', 'web-2', 'web-3'];

const pipelines: Pipeline[] = [];
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, 5_000)));
  for (const p of pipelines) await p.close();
});

const groupKeyOf = (monitorId: string) => `datadog:monitor:${monitorId}`;
const eventIdOf = (payload: Record<string, string>) => `datadog:${payload.id}`;
const duplicatesIn = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('two APIs and three worker processes racing', () => {
  it('when every alert reaches both APIs, some twice, shuffled, then each monitor gets one incident, resolved at its latest recovery, with each event once', async () => {
    const env = testEnv({ WORKER_CONCURRENCY: '8', WORKER_LOCK_MS: '5000' });
    const shared = { QUEUE_PREFIX: env.QUEUE_PREFIX!, MONGODB_URI: env.MONGODB_URI! };
    for (let i = 0; i < 2; i += 1) pipelines.push(await startPipeline({ env: shared, workers: 0 }));
    const [apiA, apiB] = pipelines as [Pipeline, Pipeline];
    workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env), spawnWorker(env)])));

    // Each host triggers at 10:0x and recovers at a random minute between 10:10 and 10:49 (seeded: TEST_SEED
    // replays a run).
    const random = seededRandom();
    const expected = new Map<string, { eventIds: string[]; resolvedAt: Date }>();
    const payloads: Record<string, string>[] = [];
    for (let m = 0; m < MONITORS; m += 1) {
      const monitorId = String(52_000 + m);
      const mine: Record<string, string>[] = [];
      let latest = 0;
      HOSTS.forEach((host, h) => {
        const recoverAt = `2026-06-14T10:${randomInt(random, 10, 49)}:${String(h * 10).padStart(2, '0')}Z`;
        latest = Math.max(latest, Date.parse(recoverAt));
        mine.push(
          datadogPayload({
            monitorId,
            transition: 'Triggered',
            scope: `host:${host}`,
            at: `2026-06-14T10:0${h}:00Z`,
          }),
          datadogPayload({ monitorId, transition: 'Recovered', scope: `host:${host}`, at: recoverAt }),
        );
      });
      expected.set(groupKeyOf(monitorId), {
        eventIds: mine.map(eventIdOf).sort(),
        resolvedAt: new Date(latest),
      });
      payloads.push(...mine);
    }

    // Every payload to both APIs; every third one a third time, and its job queued again under another id.
    const posts = shuffle(
      [
        ...payloads.map((p) => ({ api: apiA, p, copy: false })),
        ...payloads.map((p) => ({ api: apiB, p, copy: false })),
        ...payloads
          .filter((_, i) => i % 3 === 0)
          .map((p, i) => ({ api: i % 2 ? apiA : apiB, p, copy: true })),
      ],
      random,
    );
    const statuses: number[] = [];
    // Two posts answered in the same turn share a job (a batch): each job is copied once.
    const copied = new Set<string>();
    let copiedAlerts = 0;
    await eachLimited(posts, 8, async ({ api, p, copy }) => {
      const res = await api.postDatadog(p);
      statuses.push(res.status);
      if (!copy || res.status !== 202) return;
      const jobId = (res.body as { accepted: { jobId: string }[] }).accepted[0]!.jobId;
      if (copied.has(jobId)) return;
      copied.add(jobId);
      const data = api.queuedJobs.get(jobId)!;
      await api.queue.add(JOBS.alertBatch, data, { ...ALERT_JOB_OPTIONS, jobId: `again-${jobId}` });
      copiedAlerts += data.alerts.length;
    });
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    expect(copied.size).toBeGreaterThan(0);

    await apiA.drain(60_000);
    expect(await apiA.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    // Every post and every copied job reached a worker: nothing accepted was lost on the way.
    expect(await completedAlerts(apiA)).toBe(posts.length + copiedAlerts);
    // All three processes took part.
    for (const [i, w] of workers.entries()) {
      expect([i, w.logs.some((l) => l.msg === 'alert ingested')]).toEqual([i, true]);
    }

    const incidents = await storedIncidents(apiB.mongo);
    expect(incidents.map((i) => i.groupKey).sort()).toEqual([...expected.keys()].sort());
    const wrong = [...expected].flatMap(([groupKey, want]) => {
      const incident = incidents.find((i) => i.groupKey === groupKey)!;
      const eventIds = incident.events.map((e) => e.eventId);
      const ok =
        incident.status === 'resolved' &&
        incident.resolvedAt?.getTime() === want.resolvedAt.getTime() &&
        JSON.stringify([...eventIds].sort()) === JSON.stringify(want.eventIds) &&
        duplicatesIn(incident.timeline.map((t) => t.key)).length === 0 &&
        incident.timeline.filter((t) => t.kind === 'resolved').length === 1;
      return ok
        ? []
        : [
            {
              groupKey,
              status: incident.status,
              resolvedAt: incident.resolvedAt,
              want: want.resolvedAt,
              events: incident.events.map((e) => `${e.eventId} ${e.transition} ${e.at.toISOString()}`),
              timeline: incident.timeline.map((t) => t.key),
            },
          ];
    });
    expect(wrong).toEqual([]);

    const logged = await apiB.mongo.collection<AlertLogDoc>('alert_log').find({}).toArray();
    expect(logged).toHaveLength(payloads.length);
    expect(logged.filter((l) => l.status !== 'applied').map((l) => [l.eventId, l.status])).toEqual([]);
    const incidentOf = new Map(incidents.map((i) => [i.groupKey, i.id]));
    for (const l of logged)
      expect([l.eventId, String(l.incidentId)]).toEqual([l.eventId, incidentOf.get(l.groupKey)]);
  });
});
