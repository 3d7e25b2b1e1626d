import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/alert';
import { ServiceUnavailableError } from '../errors';
import { within } from './bounded';
import { JOBS, QUEUES, type AcceptedAlertItem, type AlertBatchJob } from './jobs';

export interface AcceptedAlert {
  eventId: string;
  /** The job that carries the alert; alerts accepted in the same turn of the event loop share one. */
  jobId: string;
}

export interface AlertPublisher {
  /** Resolves once Redis has every alert; throws ServiceUnavailableError when it cannot. */
  publish(
    alerts: readonly Alert[],
    meta: { receivedAt: Date; contentType: string; raw: string },
  ): Promise<AcceptedAlert[]>;
  close(): Promise<void>;
}

/** A completed batch is kept an hour for inspection; its alerts stay in the alert log (MongoDB). */
export const ALERT_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

/** A batch is queued at once when it holds this many alerts or this many bytes of raw payload. */
const MAX_BATCH_ALERTS = 200;
const MAX_BATCH_RAW_CHARS = 1_000_000;

interface PendingBatch {
  items: AcceptedAlertItem[];
  rawChars: number;
  waiting: { resolve: (jobId: string) => void; reject: (error: unknown) => void }[];
}

/**
 * Queues accepted alerts in batches: every request whose body was parsed in the same turn of the event loop
 * adds its alerts to one `alerts.ingest` job, added right after that turn (setImmediate, never a timer, so a
 * lone request waits for nothing). Each request is answered once Redis has the job that holds its alerts.
 */
export function createAlertPublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 3_000,
): AlertPublisher {
  const queue = new Queue<AlertBatchJob>(QUEUES.alerts, { connection, prefix });
  // Without a listener, a connection error would be an unhandled 'error' event; the route reports it as 503.
  queue.on('error', () => undefined);
  let batch: PendingBatch | null = null;
  const flush = () => {
    const current = batch;
    batch = null;
    if (current === null) return;
    within(
      queue.add(JOBS.alertBatch, { alerts: current.items }, ALERT_JOB_OPTIONS),
      publishTimeoutMs,
      'timed out',
    ).then(
      (job) => current.waiting.forEach((w) => w.resolve(job.id ?? '')),
      (error: unknown) => current.waiting.forEach((w) => w.reject(error)),
    );
  };
  const enqueue = (items: AcceptedAlertItem[], rawChars: number) =>
    new Promise<string>((resolve, reject) => {
      if (batch === null) {
        batch = { items: [], rawChars: 0, waiting: [] };
        setImmediate(flush);
      }
      batch.items.push(...items);
      batch.rawChars += rawChars;
      batch.waiting.push({ resolve, reject });
      if (batch.items.length >= MAX_BATCH_ALERTS || batch.rawChars >= MAX_BATCH_RAW_CHARS) flush();
    });
  return {
    async publish(alerts, meta) {
      if (alerts.length === 0) return [];
      const receivedAt = meta.receivedAt.toISOString();
      const items = alerts.map((alert) => ({
        alert,
        receivedAt,
        contentType: meta.contentType,
        raw: meta.raw,
      }));
      let jobId: string;
      // Bounded: a monitor waits about 15 s before it gives up, and must be told to retry well before that.
      try {
        jobId = await enqueue(items, meta.raw.length * items.length);
      } catch {
        throw new ServiceUnavailableError('the alert queue is unreachable; retry later');
      }
      return alerts.map((alert) => ({ eventId: alert.eventId, jobId }));
    },
    async close() {
      await queue.close();
    },
  };
}
