import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/alert';
import { ServiceUnavailableError } from '../errors';
import { ALERT_BACKOFF_TYPE } from './alert-retries';
import { within } from './bounded';
import { JOBS, QUEUES, type AlertBatchJob } from './jobs';
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

/**
 * Retries of an alert batch: capped backoff, and attempts enough to outlast any outage anyone would sit out
 * (the worker's backoff strategy, src/queue/alert-retries.ts, caps each wait at ALERT_RETRY_MAX_MS, a minute
 * by default: 10,000 attempts are a week). A batch that fails for another reason than an unavailable server stops far sooner
 * (the processor makes it unrecoverable), and lands in the failed set, where `hindsight retry-failed-alerts`
 * re-drives it.
 *
 * Redis keeps no payload longer than it must: a completed batch is removed at once (the alert log in MongoDB
 * is the record), a failed one is kept for re-driving, at most ALERT_FAILED_KEPT of them.
 */
export const ALERT_JOB_OPTIONS = {
  attempts: 10_000,
  backoff: { type: ALERT_BACKOFF_TYPE },
  removeOnComplete: true,
  removeOnFail: { count: 10_000 },
} as const;

/** How many failed alert batches Redis keeps, newest first (older ones are still in the alert log). */
export const ALERT_FAILED_KEPT = ALERT_JOB_OPTIONS.removeOnFail.count;

/**
 * A batch is queued at once when it holds this many requests, or this much: a request weighs its body's
 * characters (carried once however many alerts it has) plus ALERT_WEIGHT per alert.
 */
const MAX_BATCH_REQUESTS = 200;
const MAX_BATCH_WEIGHT = 1_000_000;
const ALERT_WEIGHT = 1_000;

interface AcceptedRequest {
  alerts: readonly Alert[];
  receivedAt: string;
  contentType: string;
  raw: string;
}

/**
 * Queues accepted alerts in batches: the alerts of every request parsed in the same turn of the event loop go
 * into one `alerts.ingest` job (src/queue/same-turn-batch.ts), each request's body once. Each request is
 * answered once Redis has the job that holds its alerts.
 */
export function createAlertPublisher(
  connection: Redis,
  prefix: string,
  options: {
    publishTimeoutMs?: number;
    /** Told of each job once Redis has it (tests keep copies: a completed job is removed at once). */
    onQueued?: (jobId: string, data: AlertBatchJob) => void;
  } = {},
): AlertPublisher {
  const publishTimeoutMs = options.publishTimeoutMs ?? 3_000;
  const queue = new Queue<AlertBatchJob>(QUEUES.alerts, { connection, prefix });
  // Without a listener, a connection error would be an unhandled 'error' event; the route reports it as 503.
  queue.on('error', () => undefined);
  const queueInBatch = sameTurnBatch<AcceptedRequest, string>({
    async run(requests) {
      const data = jobOf(requests);
      const job = await within(
        queue.add(JOBS.alertBatch, data, ALERT_JOB_OPTIONS),
        publishTimeoutMs,
        'timed out',
      );
      options.onQueued?.(job.id ?? '', data);
      return requests.map(() => job.id ?? '');
    },
    maxItems: MAX_BATCH_REQUESTS,
    maxWeight: MAX_BATCH_WEIGHT,
    weightOf: (request) => request.raw.length + request.alerts.length * ALERT_WEIGHT,
  });
  return {
    async publish(alerts, meta) {
      if (alerts.length === 0) return [];
      const request = {
        alerts,
        receivedAt: meta.receivedAt.toISOString(),
        contentType: meta.contentType,
        raw: meta.raw,
      };
      // Bounded: a monitor waits about 15 s before it gives up, and must be told to retry well before that.
      let jobId: string;
      try {
        jobId = await queueInBatch(request);
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

/** One job for the requests of a batch: each request's body once, its alerts pointing to it. */
function jobOf(requests: readonly AcceptedRequest[]): AlertBatchJob {
  const bodies = requests.map((r) => r.raw);
  const alerts = requests.flatMap((request, body) =>
    request.alerts.map((alert) => ({
      alert,
      receivedAt: request.receivedAt,
      contentType: request.contentType,
      body,
    })),
  );
  return { alerts, bodies };
}
