import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import type { EnrichmentProblem } from '../src/domain/enrichment';
import { DatadogApiError } from '../src/enrichment/datadog.port';
import type { Logger } from '../src/logger';
import {
  JOBS,
  enrichChangesJobSchema,
  enrichMetricJobSchema,
  enrichMonitorJobSchema,
  exportNotebookJobSchema,
} from '../src/queue/jobs';
import {
  enrichChanges,
  enrichMetric,
  enrichMonitor,
  type EnrichDeps,
} from '../src/use-cases/enrich-incident';
import { exportNotebook, type ExportNotebookDeps } from '../src/use-cases/export-notebook';

type Outcome = { kind: string; problem?: EnrichmentProblem; first?: boolean };

/**
 * A Datadog enrichment job (`enrich.monitor`, `enrich.metric`, `enrich.changes`, `enrich.notebook`). A 429
 * waits until Datadog's rate limit resets (the job moves to delayed without spending an attempt); a 5xx,
 * network error or timeout is retried with backoff; a failure for good (403, 404, an answer that is not what
 * Datadog documents) is recorded on the incident and logged once. Never a key in a log line: the client's
 * errors carry none.
 */
function enrichmentProcessor<Data extends { incidentId: string }>(
  name: string,
  schema: z.ZodType<Data>,
  run: (data: Data) => Promise<Outcome>,
  logger: Logger,
) {
  return async (job: Job, token?: string): Promise<string> => {
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) {
      logger.error({ jobId: job.id, job: name }, 'malformed enrichment job, not retried');
      throw new UnrecoverableError(`malformed ${name} job`);
    }
    const log: Record<string, unknown> = { jobId: job.id, job: name, ...parsed.data };
    let outcome: Outcome;
    try {
      outcome = await run(parsed.data);
    } catch (error) {
      if (error instanceof DatadogApiError && error.failure.kind === 'rate_limited') {
        logger.warn(
          { ...log, retryAfterMs: error.failure.retryAfterMs },
          'Datadog rate limit: waiting for its reset',
        );
        await job.moveToDelayed(Date.now() + error.failure.retryAfterMs, token);
        throw new DelayedError();
      }
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ ...log, attempt: job.attemptsMade + 1, err: message }, 'enrichment failed; will retry');
      throw error;
    }
    if (outcome.kind === 'problem') {
      if (outcome.first === true)
        logger.error({ ...log, err: outcome.problem?.message }, 'enrichment failed for good');
    } else {
      logger.info({ ...log, outcome: outcome.kind }, 'enrichment done');
    }
    return outcome.kind;
  };
}

/** The enrichment queue's processors, by job name. */
export function enrichmentProcessors(deps: EnrichDeps & ExportNotebookDeps, logger: Logger) {
  return {
    [JOBS.enrichMonitor]: enrichmentProcessor(
      JOBS.enrichMonitor,
      enrichMonitorJobSchema,
      (d) => enrichMonitor(deps, d.incidentId, d.monitorId),
      logger,
    ),
    [JOBS.enrichMetric]: enrichmentProcessor(
      JOBS.enrichMetric,
      enrichMetricJobSchema,
      (d) => enrichMetric(deps, d.incidentId, d.resolutionCount, d.monitorId),
      logger,
    ),
    [JOBS.enrichChanges]: enrichmentProcessor(
      JOBS.enrichChanges,
      enrichChangesJobSchema,
      (d) => enrichChanges(deps, d.incidentId, d.resolutionCount),
      logger,
    ),
    [JOBS.exportNotebook]: enrichmentProcessor(
      JOBS.exportNotebook,
      exportNotebookJobSchema,
      (d) => exportNotebook(deps, d.incidentId, d.version),
      logger,
    ),
  };
}
