import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { NotificationQueue } from '../use-cases/notify';
import { within } from './bounded';
import { JOBS, QUEUES, notificationJobId, type NotificationDeliverJob } from './jobs';

export interface NotificationPublisher extends NotificationQueue {
  close(): Promise<void>;
}

export interface NotificationJobOptions {
  /** Attempts per delivery (NOTIFY_ATTEMPTS). */
  attempts: number;
  /** First retry delay, doubled each time (NOTIFY_BACKOFF_MS). */
  backoffMs: number;
  /** How long enqueue waits for Redis before it throws (so the calling job fails and is retried). */
  publishTimeoutMs?: number;
}

export function notificationJobOptions(options: NotificationJobOptions) {
  return {
    attempts: options.attempts,
    backoff: { type: 'exponential', delay: options.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
  } as const;
}

export function createNotificationPublisher(
  connection: Redis,
  prefix: string,
  options: NotificationJobOptions,
): NotificationPublisher {
  const queue = new Queue<NotificationDeliverJob>(QUEUES.notifications, { connection, prefix });
  // Without a listener a connection error would be an unhandled 'error' event; enqueue reports it instead.
  queue.on('error', () => undefined);
  const jobOptions = notificationJobOptions(options);
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  return {
    async enqueue(deliveryIds) {
      if (deliveryIds.length === 0) return;
      const jobs = deliveryIds.map((deliveryId) => ({
        name: JOBS.notificationDeliver,
        data: { deliveryId },
        opts: { ...jobOptions, jobId: notificationJobId(deliveryId) },
      }));
      await within(
        queue.addBulk(jobs),
        publishTimeoutMs,
        'the notification queue is unreachable; retry later',
      );
    },
    async close() {
      await queue.close();
    },
  };
}
