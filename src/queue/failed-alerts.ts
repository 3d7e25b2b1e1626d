/**
 * Alert batches that ended in BullMQ's failed set: what is there, and re-driving it. A batch only lands there
 * after a failure that is not a server being away (those are retried until the server is back), or when its
 * job was malformed; its alerts are not lost, and once the cause is fixed `hindsight retry-failed-alerts`
 * (or POST /api/alert-log/failed/retry) puts every one back on the queue, where the usual exactly-once path
 * applies it (alerts applied before the failure are duplicates the database recognises).
 */
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, alertBatchJobSchema, queuedAlertSchema } from './jobs';

/** At most this many alerts of a batch are listed (its count is always given). */
const ALERTS_LISTED = 20;
const REASON_CHARS = 1_000;

export interface FailedAlertBatch {
  jobId: string;
  failedAt: Date | null;
  attempts: number;
  reason: string;
  /** How many alerts the batch carries (its still-unapplied ones: a batch keeps only those). */
  alertCount: number;
  alerts: { source: string; eventId: string; groupKey: string; receivedAt: string }[];
}

export interface FailedAlerts {
  /** The newest failed batches first, at most `limit` from `offset`, and how many there are. */
  list(limit: number, offset: number): Promise<{ items: FailedAlertBatch[]; total: number }>;
  /** Puts every failed batch back on the queue; answers how many, and tells how many are left. */
  retryAll(onProgress?: (retried: number, left: number) => void): Promise<number>;
  close(): Promise<void>;
}

export function createFailedAlerts(connection: Redis, prefix: string): FailedAlerts {
  const queue = new Queue(QUEUES.alerts, { connection, prefix });
  queue.on('error', () => undefined);
  return {
    async list(limit, offset) {
      const [jobs, total] = await Promise.all([
        queue.getFailed(offset, offset + limit - 1),
        queue.getFailedCount(),
      ]);
      return { items: jobs.filter((j): j is Job => j !== undefined).map(describe), total };
    },
    async retryAll(onProgress) {
      const before = await queue.getFailedCount();
      if (before === 0) return 0;
      // Moves the failed jobs back to waiting, 1,000 per round, oldest first (their attempts count on: one that
      // fails again for a reason other than an unavailable server is failed again at once).
      await queue.retryJobs({ state: 'failed', count: 1_000 });
      const left = await queue.getFailedCount();
      onProgress?.(Math.max(0, before - left), left);
      return Math.max(0, before - left);
    },
    async close() {
      await queue.close();
    },
  };
}

function describe(job: Job): FailedAlertBatch {
  const batch = alertBatchJobSchema.safeParse(job.data);
  const alerts = batch.success ? batch.data.alerts : [];
  return {
    jobId: job.id ?? '',
    failedAt: job.finishedOn === undefined ? null : new Date(job.finishedOn),
    attempts: job.attemptsMade,
    reason: (job.failedReason ?? '').slice(0, REASON_CHARS),
    alertCount: alerts.length,
    alerts: alerts.slice(0, ALERTS_LISTED).flatMap((candidate) => {
      const item = queuedAlertSchema.safeParse(candidate);
      if (!item.success) return [];
      const { alert, receivedAt } = item.data;
      return [{ source: alert.source, eventId: alert.eventId, groupKey: alert.groupKey, receivedAt }];
    }),
  };
}
