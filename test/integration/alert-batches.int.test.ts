/**
 * Alerts travel in batches: the API queues the alerts accepted in one turn of its event loop as one job, and
 * the worker applies each alert of a job on its own. On real Redis and the MongoDB-wire server.
 */
import { Worker } from 'bullmq';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { storedIncidents } from '../helpers/stored-incidents';
import { ALERT_JOB_OPTIONS } from '../../src/queue/alert-publisher';
import { JOBS, QUEUES, type AcceptedAlertItem, type QueuedAlert } from '../../src/queue/jobs';
import { parseDatadogWebhook } from '../../src/sources/datadog/datadog.adapter';
import type { AlertLog } from '../../src/use-cases/ports';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { alertIngestProcessor, type AlertBatchResult } from '../../workers/alert-ingest.processor';
import { datadogPayload, queuedAlerts, startPipeline, type Pipeline } from '../helpers/pipeline';

const pipelines: Pipeline[] = [];
afterAll(async () => {
  for (const p of pipelines) await p.close();
});

async function pipelineWith(workers: number): Promise<Pipeline> {
  const p = await startPipeline({ workers });
  pipelines.push(p);
  return p;
}

let monitorSeq = 77_000;
const newMonitor = () => String((monitorSeq += 1));

function acceptedAlert(monitorId: string, transition = 'Triggered'): AcceptedAlertItem {
  const payload = datadogPayload({ monitorId, transition, at: '2026-06-14T10:00:00Z' });
  const raw = JSON.stringify(payload);
  const [alert] = parseDatadogWebhook(payload, {
    receivedAt: new Date(),
    rawBody: raw,
    serviceTagKeys: ['service'],
    hostTagKeys: ['host'],
  });
  return { alert: alert!, receivedAt: new Date().toISOString(), contentType: 'application/json', raw };
}

const incidentsIn = (p: Pipeline) => p.mongo.collection('incidents');
const alertLogIn = (p: Pipeline) => p.mongo.collection<AlertLogDoc>('alert_log');

describe('the API side', () => {
  it('when 250 alerts are published in one turn of the event loop, then they are queued as two jobs (200 and 50), and each alert is in the job its answer names', async () => {
    const p = await pipelineWith(0);
    const alerts = Array.from({ length: 250 }, () => acceptedAlert(newMonitor()));
    const answers = await Promise.all(
      alerts.map((a) =>
        p.publisher.publish([a.alert], { receivedAt: new Date(), contentType: a.contentType, raw: a.raw }),
      ),
    );
    const jobs = await p.queue.getJobs(['waiting']);
    expect(jobs.map((j) => (j.data as { alerts: unknown[] }).alerts.length).sort((a, b) => a - b)).toEqual([
      50, 200,
    ]);
    for (const [i, [answer]] of answers.entries()) {
      const job = jobs.find((j) => j.id === answer!.jobId);
      const eventIds = (job?.data as { alerts: AcceptedAlertItem[] }).alerts.map((a) => a.alert.eventId);
      expect([i, eventIds.includes(alerts[i]!.alert.eventId)]).toEqual([i, true]);
    }
  });

  it('when alerts are published in separate turns, then each waits for no other: one job each', async () => {
    const p = await pipelineWith(0);
    for (let i = 0; i < 3; i += 1) {
      const a = acceptedAlert(newMonitor());
      await p.publisher.publish([a.alert], {
        receivedAt: new Date(),
        contentType: a.contentType,
        raw: a.raw,
      });
    }
    expect(await p.queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
    expect(queuedAlerts(p)).toBe(3);
  });
});

/** The API's job options, but the completed job kept, so that the test can read its result back. */
const KEPT_JOB_OPTIONS = { ...ALERT_JOB_OPTIONS, removeOnComplete: false };

describe('the worker side', () => {
  it('when a batch holds a malformed item, then that item is dropped and logged, and the others are applied', async () => {
    const p = await pipelineWith(1);
    const [m1, m2] = [newMonitor(), newMonitor()];
    const good = [acceptedAlert(m1), acceptedAlert(m2)];
    const job = await p.queue.add(
      JOBS.alertBatch,
      { alerts: [good[0], { alert: { eventId: 'x' }, raw: 3 }, good[1]] },
      KEPT_JOB_OPTIONS,
    );
    await p.drain();
    const done = await p.queue.getJob(job.id!);
    expect(await done!.getState()).toBe('completed');
    expect(done!.returnvalue).toEqual({ applied: 2, duplicate: 0, held: 0, test: 0, malformed: 1 });
    for (const m of [m1, m2]) {
      expect(await incidentsIn(p).countDocuments({ groupKey: `datadog:monitor:${m}` })).toBe(1);
    }
    const logged = p.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => l.msg === 'malformed alert in a batch job, dropped')).toEqual([
      expect.objectContaining({ jobId: job.id, index: 1, field: expect.any(String) }),
    ]);
  });

  it('when a job is not a batch at all, then it fails at once, without retries', async () => {
    const p = await pipelineWith(1);
    const job = await p.queue.add(JOBS.alertBatch, { alerts: [] }, KEPT_JOB_OPTIONS);
    await p.drain();
    const failed = await p.queue.getJob(job.id!);
    expect(await failed!.getState()).toBe('failed');
    expect(failed!.attemptsMade).toBe(1);
  });

  /** A worker of this test's own on `p`'s queue, with the real processor over `alertLog`. */
  function workerWith(p: Pipeline, alertLog: AlertLog, ingested: string[]): Worker {
    const worker = new Worker(
      QUEUES.alerts,
      alertIngestProcessor(
        {
          incidents: p.repositories.incidents,
          alertLog,
          rules: routingRulesFrom(p.config),
          newIncidentId: () => IncidentRepository.newId(),
          now: () => new Date(),
        },
        {
          publicUrl: p.config.publicUrl,
          queueDraft: () => Promise.resolve(),
          notify: () => Promise.resolve(),
        },
        p.logger,
      ),
      { connection: { url: p.config.redisUrl }, prefix: p.config.queuePrefix, concurrency: 1 },
    );
    worker.on('completed', (_job, result: AlertBatchResult) => ingested.push(JSON.stringify(result)));
    return worker;
  }

  /** The real alert log, with some of its writes replaced. */
  function alertLogOf(p: Pipeline, replaced: Partial<AlertLog>): AlertLog {
    const real = p.repositories.alertLog;
    return {
      record: (entry) => real.record(entry),
      markApplied: (a, id) => real.markApplied(a, id),
      markTest: (a) => real.markTest(a),
      markHeld: (a, reason) => real.markHeld(a, reason),
      findHeld: (g, since) => real.findHeld(g, since),
      recordMany: (entries) => real.recordMany(entries),
      findHeldMany: (g, since) => real.findHeldMany(g, since),
      settle: (marks) => real.settle(marks),
      ...replaced,
    };
  }

  it('when one alert of a batch fails on its own, then only that alert is retried, and every alert takes effect once', async () => {
    const p = await pipelineWith(0);
    // The middle one is a recovery with no incident to take it: it is held, on a path of its own.
    const alerts = [
      acceptedAlert(newMonitor()),
      acceptedAlert(newMonitor(), 'Recovered'),
      acceptedAlert(newMonitor()),
    ];
    const unlucky = alerts[1]!.alert.eventId;
    let failures = 0;
    // Holding it fails once, as a dropped connection would.
    const real = p.repositories.alertLog;
    const flakyLog = alertLogOf(p, {
      markHeld: (a, reason) => {
        if (a.eventId === unlucky && failures === 0) {
          failures += 1;
          return Promise.reject(new Error('connection reset'));
        }
        return real.markHeld(a, reason);
      },
    });
    const ingested: string[] = [];
    const worker = workerWith(p, flakyLog, ingested);
    try {
      const job = await p.queue.add(
        JOBS.alertBatch,
        { alerts },
        { ...KEPT_JOB_OPTIONS, backoff: { type: 'fixed', delay: 50 } },
      );
      await p.drain();
      const done = await p.queue.getJob(job.id!);
      expect(await done!.getState()).toBe('completed');
      expect(done!.attemptsMade).toBe(2);
      expect(failures).toBe(1);
      // The retry carried the failed alert alone, so it held one alert and repeated none.
      expect((done!.data as { alerts: QueuedAlert[] }).alerts.map((a) => a.alert.eventId)).toEqual([unlucky]);
      expect(ingested).toEqual([
        JSON.stringify({ applied: 0, duplicate: 0, held: 1, test: 0, malformed: 0 }),
      ]);
      const logs = await alertLogIn(p)
        .find({ eventId: { $in: alerts.map((a) => a.alert.eventId) } })
        .toArray();
      expect(new Map(logs.map((l) => [l.eventId, l.status]))).toEqual(
        new Map([
          [alerts[0]!.alert.eventId, 'applied'],
          [unlucky, 'held'],
          [alerts[2]!.alert.eventId, 'applied'],
        ]),
      );
      for (const a of [alerts[0]!, alerts[2]!]) {
        const incidents = await storedIncidents(p.mongo, { groupKey: a.alert.groupKey });
        expect(incidents.map((i) => i.events.map((e) => e.eventId))).toEqual([[a.alert.eventId]]);
      }
    } finally {
      await worker.close();
    }
  });

  it('when the write of the whole batch fails, then the whole batch is retried, and every alert takes effect once', async () => {
    const p = await pipelineWith(0);
    const m = newMonitor();
    const alerts = [acceptedAlert(m), acceptedAlert(newMonitor()), acceptedAlert(m, 'Recovered')];
    let failures = 0;
    const real = p.repositories.alertLog;
    // The log's statuses are not set the first time: the incidents were written, the records say received.
    const flakyLog = alertLogOf(p, {
      settle: (marks) => {
        if (failures === 0) {
          failures += 1;
          return Promise.reject(new Error('connection reset'));
        }
        return real.settle(marks);
      },
    });
    const ingested: string[] = [];
    const worker = workerWith(p, flakyLog, ingested);
    try {
      const job = await p.queue.add(
        JOBS.alertBatch,
        { alerts },
        { ...KEPT_JOB_OPTIONS, backoff: { type: 'fixed', delay: 50 } },
      );
      await p.drain();
      const done = await p.queue.getJob(job.id!);
      expect(await done!.getState()).toBe('completed');
      expect(done!.attemptsMade).toBe(2);
      // The retry found every alert already in its incident: duplicates, settled, none applied twice.
      expect(ingested).toEqual([
        JSON.stringify({ applied: 0, duplicate: 3, held: 0, test: 0, malformed: 0 }),
      ]);
      const logs = await alertLogIn(p)
        .find({ eventId: { $in: alerts.map((a) => a.alert.eventId) } })
        .toArray();
      expect(logs.map((l) => l.status)).toEqual(['applied', 'applied', 'applied']);
      const first = await storedIncidents(p.mongo, { groupKey: alerts[0]!.alert.groupKey });
      expect(first.map((i) => i.events.map((e) => e.eventId))).toEqual([
        [alerts[0]!.alert.eventId, alerts[2]!.alert.eventId],
      ]);
      expect(first[0]!.status).toBe('resolved');
    } finally {
      await worker.close();
    }
  });
});
