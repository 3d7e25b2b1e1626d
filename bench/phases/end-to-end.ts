import {
  alertsQueue,
  cleanupPhase,
  pendingAlerts,
  phaseEnv,
  startApi,
  startWorkers,
  type Services,
} from '../lib/env';
import { QueueEvents } from 'bullmq';
import { QUEUES } from '../../src/queue/jobs';
import { appliedEntries, apiGet, postWebhook, postWebhookAccepted } from '../lib/http';
import { datadogPayload, streamPayload } from '../lib/payloads';
import type { Proc } from '../lib/procs';
import { percentile, sleep } from '../lib/util';

export const E2E_WORKERS = 2;
/** How often the draft run polls for the postmortem. */
const POLL_MS = 25;

export interface E2eRun {
  offeredPerSec: number;
  sent: number;
  applied: number;
  p50Ms: number | null;
  p99Ms: number | null;
  backlogAtEnd: number;
  sustained: boolean;
}

/**
 * Paced sender at `rate`/s for `seconds`; every webhook's 202 names its eventId and the job (batch) holding it.
 * The alerts queue's events (QueueEvents, a Redis stream: no load on the database) say when each job
 * completed: by then every alert in it is written to its incident (a job completes only after its last
 * alert's incident write), so GET /api/incidents/:id serves it. Latency = job completed − webhook sent. At the
 * end, the alert log is read once through the API to check the last 100 alerts sent are there as applied.
 */
export async function endToEndRun(services: Services, rate: number, seconds: number): Promise<E2eRun> {
  const pe = phaseEnv(services, `e2e${rate}`);
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  const events = new QueueEvents(QUEUES.alerts, {
    connection: { url: services.redisUrl },
    prefix: pe.prefix,
  });
  let workers: Proc[] = [];
  try {
    await events.waitUntilReady();
    workers = await startWorkers(pe.env, queue, E2E_WORKERS);
    const completedAt = new Map<string, number>();
    events.on('completed', ({ jobId }) => completedAt.set(jobId, Date.now()));
    const accepted: { eventId: string; jobId: string; sentAt: number }[] = [];
    const total = rate * seconds;
    const t0 = Date.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      const wait = t0 + (i * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      const payload = streamPayload(i, 1000, rate);
      const sentAt = Date.now();
      inflight.push(
        postWebhookAccepted(api.base, payload).then(
          (a) => void accepted.push({ ...a, sentAt }),
          () => undefined,
        ),
      );
    }
    await Promise.all(inflight);
    const backlogAtEnd = await pendingAlerts(queue);
    const allDone = () => accepted.every((a) => completedAt.has(a.jobId));
    for (const deadline = Date.now() + 15_000; !allDone() && Date.now() < deadline;) await sleep(50);
    const latencies = accepted.flatMap((a) => {
      const done = completedAt.get(a.jobId);
      return done === undefined ? [] : [done - a.sentAt];
    });
    // Readable through the API: the alert log lists the last ones sent as applied (one read of the newest 200).
    const applied = new Set((await appliedEntries(api.base, 200)).map((e) => e.eventId));
    const newest = accepted.slice(-Math.min(100, accepted.length));
    const readable = newest.filter((a) => applied.has(a.eventId)).length;
    if (allDone() && readable < newest.length)
      throw new Error(`${newest.length - readable} completed alerts are not applied in the alert log`);
    return {
      offeredPerSec: rate,
      sent: accepted.length,
      applied: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: latencies.length === accepted.length ? percentile(latencies, 99) : null,
      backlogAtEnd,
      sustained: backlogAtEnd <= rate && latencies.length === accepted.length,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await api.proc.stop();
    await events.close();
    await queue.close();
    await cleanupPhase(services, pe);
  }
}

/** From a recovery webhook to GET /api/incidents/:id/postmortem answering 200. */
export async function draftRun(
  services: Services,
  incidents = 30,
  budgetMs = 90_000,
): Promise<{ p50Ms: number | null; p99Ms: number | null; measured: number; incidentTemplate: unknown }> {
  const pe = phaseEnv(services, 'draft');
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  let workers: Proc[] = [];
  try {
    workers = await startWorkers(pe.env, queue, E2E_WORKERS);
    const deadline = Date.now() + budgetMs;
    const monitors = Array.from({ length: incidents }, (_, i) => ({
      monitorId: String(900_000 + i),
      scope: `host:db-${i}`,
    }));
    const triggerIds = new Map<string, number>();
    for (const [i, m] of monitors.entries()) {
      const eventId = await postWebhook(api.base, datadogPayload({ transition: 'Triggered', ...m }));
      triggerIds.set(eventId, i);
    }
    const incidentOf = new Map<number, string>();
    while (incidentOf.size < incidents && Date.now() < deadline) {
      for (const item of await appliedEntries(api.base, 200)) {
        const i = triggerIds.get(item.eventId);
        if (i !== undefined && item.incidentId !== null) incidentOf.set(i, item.incidentId);
      }
      await sleep(100);
    }
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        for (;;) {
          const i = next;
          next += 1;
          const m = monitors[i];
          const id = incidentOf.get(i);
          if (m === undefined || Date.now() > deadline) return;
          if (id === undefined) continue;
          const t0 = Date.now();
          await postWebhook(api.base, datadogPayload({ transition: 'Recovered', ...m }));
          while (Date.now() < deadline) {
            const { status } = await apiGet(api.base, `/api/incidents/${id}/postmortem`);
            if (status === 200) {
              latencies.push(Date.now() - t0);
              break;
            }
            await sleep(POLL_MS);
          }
        }
      }),
    );
    const firstId = incidentOf.get(0);
    const incidentTemplate = firstId ? (await apiGet(api.base, `/api/incidents/${firstId}`)).body : null;
    return {
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      measured: latencies.length,
      incidentTemplate,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await api.proc.stop();
    await queue.close();
    await cleanupPhase(services, pe);
  }
}
