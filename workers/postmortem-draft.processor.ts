import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/logger';
import { postmortemDraftJobSchema } from '../src/queue/jobs';
import { draftPostmortem, type DraftDeps, type DraftOutcome } from '../src/use-cases/draft-postmortem';

/** `postmortem.draft`: draft or bring up to date the postmortem of a resolved incident, then notify ops. */
export function postmortemDraftProcessor(deps: DraftDeps, logger: Logger) {
  return async (job: Job): Promise<DraftOutcome['kind']> => {
    const parsed = postmortemDraftJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('malformed postmortem.draft job');
    const outcome = await draftPostmortem(deps, parsed.data.incidentId);
    logger.info(
      { jobId: job.id, incidentId: parsed.data.incidentId, outcome: outcome.kind },
      'postmortem draft',
    );
    return outcome.kind;
  };
}
