import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/alert';
import { ServiceUnavailableError } from '../errors';
import { within } from './bounded';
import { JOBS, QUEUES, type AcceptedAlertItem, type AlertBatchJob } from './jobs';
import { sameTurnBatch } from './same-turn-batch';

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

/** A batch is queued at once when it holds this many alerts or this many characters of raw payload. */
const MAX_BATCH_ALERTS = 200;
const MAX_BATCH_RAW_CHARS = 1_000_000;

/**
 * Queues accepted alerts in batches: the alerts of every request parsed in the same turn of the event loop go
 * into one `alerts.ingest` job (src/queue/same-turn-batch.ts). Each request is answered once Redis has the job
 * that holds its alerts.
 */
export function createAlertPublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 3_000,
): AlertPublisher {
  const queue = new Queue<AlertBatchJob>(QUEUES.alerts, { connection, prefix });
  // Without a listener, a connection error would be an unhandled 'error' event; the route reports it as 503.
  queue.on('error', () => undefined);
  const queueInBatch = sameTurnBatch<AcceptedAlertItem, string>({
    async run(items) {
      const job = await within(
        queue.add(JOBS.alertBatch, { alerts: items }, ALERT_JOB_OPTIONS),
        publishTimeoutMs,
        'timed out',
      );
      return items.map(() => job.id ?? '');
    },
    maxItems: MAX_BATCH_ALERTS,
    maxWeight: MAX_BATCH_RAW_CHARS,
    weightOf: (item) => item.raw.length,
  });
  return {
    async publish(alerts, meta) {
      const receivedAt = meta.receivedAt.toISOString();
      // Bounded: a monitor waits about 15 s before it gives up, and must be told to retry well before that.
      try {
        const jobIds = await Promise.all(
          alerts.map((alert) =>
            queueInBatch({ alert, receivedAt, contentType: meta.contentType, raw: meta.raw }),
          ),
        );
        return alerts.map((alert, i) => ({ eventId: alert.eventId, jobId: jobIds[i]! }));
      } catch {
        throw new ServiceUnavailableError('the alert queue is unreachable; retry later');
      }
    },
    async close() {
      await queue.close();
    },
  };
}
