import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/logger';
import { alertIngestJobSchema } from '../src/queue/jobs';
import { followUpIngest, type FollowUpDeps } from '../src/use-cases/follow-up-ingest';
import { ingestAlert, type IngestDeps, type IngestOutcome } from '../src/use-cases/ingest-alert';

/**
 * `alert.ingest`: validates the job (Redis is a boundary too) and hands it to the use-case. A job that does
 * not validate can never succeed, so it fails at once without retries; anything else is retried by BullMQ.
 */
export function alertIngestProcessor(deps: IngestDeps, followUps: FollowUpDeps, logger: Logger) {
  return async (job: Job): Promise<IngestOutcome> => {
    const parsed = alertIngestJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      logger.error({ jobId: job.id, field: issue?.path.join('.') }, 'malformed alert job, not retried');
      throw new UnrecoverableError(`malformed job: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
    }
    const { alert, receivedAt, raw, contentType } = parsed.data;
    const outcome = await ingestAlert(deps, { alert, receivedAt: new Date(receivedAt), raw, contentType });
    logger.info(
      {
        jobId: job.id,
        source: alert.source,
        groupKey: alert.groupKey,
        eventId: alert.eventId,
        outcome: outcome.kind,
      },
      'alert ingested',
    );
    await followUpIngest(followUps, outcome);
    return outcome;
  };
}
