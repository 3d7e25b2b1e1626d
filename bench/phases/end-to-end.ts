import {
  alertsQueue,
  cleanupPhase,
  pendingAlerts,
  phaseEnv,
  startApi,
  startWorkers,
  type Services,
} from '../lib/env';
import { appliedEntries, apiGet, postWebhook } from '../lib/http';
import { datadogPayload, streamPayload } from '../lib/payloads';
import type { Proc } from '../lib/procs';
import { percentile, sleep } from '../lib/util';

export const E2E_WORKERS = 2;
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
 * Paced sender at `rate`/s for `seconds`; every webhook's 202 names its eventId. A poller reads
 * GET /api/alert-log?status=applied (newest first) every 25 ms: an alert is marked applied only after its
 * incident write, so from then on GET /api/incidents/:id returns it. Latency = poll answer time − send time
 * (an upper bound; resolution one poll period plus one poll's duration).
 */
export async function endToEndRun(services: Services, rate: number, seconds: number): Promise<E2eRun> {
  const pe = phaseEnv(services, `e2e${rate}`);
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  let workers: Proc[] = [];
  try {
    workers = await startWorkers(pe.env, queue, E2E_WORKERS);
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let sending = true;
    const poller = (async () => {
      const deadline = () => !sending && (sentAt.size === 0 || Date.now() > stopPollingAt);
      let stopPollingAt = Number.POSITIVE_INFINITY;
      while (!deadline()) {
        if (!sending && stopPollingAt === Number.POSITIVE_INFINITY) stopPollingAt = Date.now() + 15_000;
        const items = await appliedEntries(api.base, 200).catch(() => []);
        const now = Date.now();
        for (const item of items) {
          const t = sentAt.get(item.eventId);
          if (t !== undefined) {
            latencies.push(now - t);
            sentAt.delete(item.eventId);
          }
        }
        await sleep(POLL_MS);
      }
    })();
    const total = rate * seconds;
    const t0 = Date.now();
    const inflight: Promise<void>[] = [];
    let sent = 0;
    for (let i = 0; i < total; i += 1) {
      const wait = t0 + (i * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      const payload = streamPayload(i, 1000, rate);
      const at = Date.now();
      inflight.push(
        postWebhook(api.base, payload).then(
          (eventId) => {
            sentAt.set(eventId, at);
            sent += 1;
          },
          () => undefined,
        ),
      );
    }
    await Promise.all(inflight);
    const backlogAtEnd = await pendingAlerts(queue);
    sending = false;
    await poller;
    return {
      offeredPerSec: rate,
      sent,
      applied: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: latencies.length === sent ? percentile(latencies, 99) : null,
      backlogAtEnd,
      sustained: backlogAtEnd <= rate && latencies.length === sent,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await api.proc.stop();
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
