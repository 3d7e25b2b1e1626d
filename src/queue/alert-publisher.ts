import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/alert';
import { ServiceUnavailableError } from '../errors';
import { within } from './bounded';
import { JOBS, QUEUES, alertJobId, type AlertIngestJob } from './jobs';

export interface AcceptedAlert {
  eventId: string;
  jobId: string;
}

export interface AlertPublisher {
  /** Resolves once Redis has every job; throws ServiceUnavailableError when it cannot. */
  publish(
    alerts: readonly Alert[],
    meta: { receivedAt: Date; contentType: string; raw: string },
  ): Promise<AcceptedAlert[]>;
  close(): Promise<void>;
}

export const ALERT_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

/** A batch is flushed at once when it reaches this many jobs. */
const MAX_BATCH_JOBS = 200;

export function createAlertPublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 3_000,
): AlertPublisher {
  const queue = new Queue<AlertIngestJob>(QUEUES.alerts, { connection, prefix });
  // Without a listener, a connection error would be an unhandled 'error' event; the route reports it as 503.
  queue.on('error', () => undefined);
  type PendingJob = Parameters<typeof queue.addBulk>[0][number];
  let batch: { jobs: PendingJob[]; settle: { resolve: () => void; reject: (e: unknown) => void }[] } | null =
    null;
  // Requests whose bodies arrived in the same turn of the event loop share one addBulk: one round trip to
  // Redis for all of them, flushed right after the turn (setImmediate), so no request waits on a timer.
  const flush = () => {
    const current = batch;
    batch = null;
    if (current === null) return;
    within(queue.addBulk(current.jobs), publishTimeoutMs, 'timed out').then(
      () => current.settle.forEach((s) => s.resolve()),
      (error: unknown) => current.settle.forEach((s) => s.reject(error)),
    );
  };
  const enqueue = (jobs: PendingJob[]) =>
    new Promise<void>((resolve, reject) => {
      if (batch === null) {
        batch = { jobs: [], settle: [] };
        setImmediate(flush);
      }
      batch.jobs.push(...jobs);
      batch.settle.push({ resolve, reject });
      if (batch.jobs.length >= MAX_BATCH_JOBS) flush();
    });
  return {
    async publish(alerts, meta) {
      const receivedAt = meta.receivedAt.toISOString();
      const jobs = alerts.map((alert) => ({
        name: JOBS.alertIngest,
        data: { alert, receivedAt, contentType: meta.contentType, raw: meta.raw },
        opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId(alert) },
      }));
      // Bounded: a monitor waits about 15 s before it gives up, and must be told to retry well before that.
      try {
        await enqueue(jobs);
      } catch {
        throw new ServiceUnavailableError('the alert queue is unreachable; retry later');
      }
      return alerts.map((alert) => ({ eventId: alert.eventId, jobId: alertJobId(alert) }));
    },
    async close() {
      await queue.close();
    },
  };
}
