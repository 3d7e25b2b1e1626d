import type { Redis } from 'ioredis';
import { createJobPublisher } from './job-publisher';
import { JOBS, QUEUES, enrichMonitorJobId, type EnrichMonitorJob } from './jobs';

export interface EnrichmentPublisher {
  queueMonitor(job: EnrichMonitorJob): Promise<void>;
  close(): Promise<void>;
}

/**
 * Retried for about an hour (10 s doubling; a 429 waits for Datadog's reset instead, without spending an
 * attempt), kept a day when done and a week when failed, 10,000 of each at most.
 */
export const ENRICHMENT_JOB_OPTIONS = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

export function createEnrichmentPublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 10_000,
): EnrichmentPublisher {
  const publisher = createJobPublisher<EnrichMonitorJob>(connection, prefix, {
    queue: QUEUES.enrichment,
    job: JOBS.enrichMonitor,
    options: ENRICHMENT_JOB_OPTIONS,
    jobIdOf: enrichMonitorJobId,
    timeoutMs: publishTimeoutMs,
    unreachable: () => new Error('the enrichment queue is unreachable; retry later'),
  });
  return { queueMonitor: (job) => publisher.add(job), close: () => publisher.close() };
}
