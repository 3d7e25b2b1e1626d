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

export function createAlertPublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 3_000,
): AlertPublisher {
  const queue = new Queue<AlertIngestJob>(QUEUES.alerts, { connection, prefix });
  // Without a listener, a connection error would be an unhandled 'error' event; the route reports it as 503.
  queue.on('error', () => undefined);
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
        await within(queue.addBulk(jobs), publishTimeoutMs, 'timed out');
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
