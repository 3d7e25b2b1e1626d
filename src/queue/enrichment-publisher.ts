import type { Redis } from 'ioredis';
import { createJobPublisher, type JobPublisher } from './job-publisher';
import {
  JOBS,
  QUEUES,
  enrichChangesJobId,
  enrichMetricJobId,
  enrichMonitorJobId,
  exportNotebookJobId,
  type EnrichChangesJob,
  type EnrichMetricJob,
  type EnrichMonitorJob,
  type ExportNotebookJob,
} from './jobs';

/** The Datadog enrichment jobs, on their own queue: a slow or rate-limited Datadog holds up nothing else. */
export interface EnrichmentPublisher {
  queueMonitor(job: EnrichMonitorJob): Promise<void>;
  queueMetric(job: EnrichMetricJob): Promise<void>;
  queueChanges(job: EnrichChangesJob): Promise<void>;
  queueNotebook(job: ExportNotebookJob): Promise<void>;
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
  const publisherOf = <Data>(job: string, jobIdOf: (data: Data) => string): JobPublisher<Data> =>
    createJobPublisher<Data>(connection, prefix, {
      queue: QUEUES.enrichment,
      job,
      options: ENRICHMENT_JOB_OPTIONS,
      jobIdOf,
      timeoutMs: publishTimeoutMs,
      unreachable: () => new Error('the enrichment queue is unreachable; retry later'),
    });
  const monitor = publisherOf(JOBS.enrichMonitor, enrichMonitorJobId);
  const metric = publisherOf(JOBS.enrichMetric, enrichMetricJobId);
  const changes = publisherOf(JOBS.enrichChanges, enrichChangesJobId);
  const notebook = publisherOf(JOBS.exportNotebook, exportNotebookJobId);
  return {
    queueMonitor: (job) => monitor.add(job),
    queueMetric: (job) => metric.add(job),
    queueChanges: (job) => changes.add(job),
    queueNotebook: (job) => notebook.add(job),
    async close() {
      await Promise.all([monitor, metric, changes, notebook].map((p) => p.close()));
    },
  };
}
