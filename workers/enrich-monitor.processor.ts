import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DatadogApiError } from '../src/enrichment/datadog.port';
import type { Logger } from '../src/logger';
import { enrichMonitorJobSchema } from '../src/queue/jobs';
import { enrichMonitor, type EnrichDeps, type EnrichOutcome } from '../src/use-cases/enrich-incident';

/**
 * `enrich.monitor`: Datadog describes the monitor of an incident. A 429 waits until Datadog's rate limit resets
 * (the job moves to delayed without spending an attempt); a 5xx, network error or timeout is retried with
 * backoff; a failure for good (403, 404, an answer that is no monitor) is recorded on the incident and logged
 * once. Never a key in a log line: the client's errors carry none.
 */
export function enrichMonitorProcessor(deps: EnrichDeps, logger: Logger) {
  return async (job: Job, token?: string): Promise<EnrichOutcome['kind']> => {
    const parsed = enrichMonitorJobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error({ jobId: job.id }, 'malformed enrichment job, not retried');
      throw new UnrecoverableError('malformed enrich.monitor job');
    }
    const { incidentId, monitorId } = parsed.data;
    const log = { jobId: job.id, incidentId, monitorId };
    let outcome: EnrichOutcome;
    try {
      outcome = await enrichMonitor(deps, incidentId, monitorId);
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
      logger.warn(
        { ...log, attempt: job.attemptsMade + 1, err: message },
        'monitor enrichment failed; will retry',
      );
      throw error;
    }
    if (outcome.kind === 'problem') {
      if (outcome.first)
        logger.error({ ...log, err: outcome.problem.message }, 'monitor enrichment failed for good');
    } else if (outcome.kind === 'enriched') {
      logger.info({ ...log, fromCache: outcome.fromCache }, 'monitor described');
    }
    return outcome.kind;
  };
}
