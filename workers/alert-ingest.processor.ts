import { UnrecoverableError, type Job } from 'bullmq';
import { eachLimited, groupCommit } from '../src/concurrency';
import type { Logger } from '../src/logger';
import { OTHER_FAILURE_ATTEMPTS, serverUnavailable } from '../src/queue/alert-retries';
import {
  acceptedAlertOf,
  alertBatchJob,
  alertBatchJobSchema,
  queuedAlertSchema,
  type AcceptedAlertItem,
} from '../src/queue/jobs';
import {
  followUpIngest,
  settleDrafts,
  type AskedDraft,
  type DraftSettlingDeps,
  type FollowUpDeps,
} from '../src/use-cases/follow-up-ingest';
import type { Incident } from '../src/domain/incident';
import type { IngestDeps, IngestInput, IngestOutcome } from '../src/use-cases/ingest-alert';
import { ingestAlertBatch, type BatchResult } from '../src/use-cases/ingest-alert-batch';

/** Groups of one batch whose follow-ups run at once; a group's own go one after the other. */
const GROUPS_IN_FLIGHT = 8;
/** Alerts of several jobs applied as one batch, at most (a job holds the alerts of at most 200 requests). */
const APPLIED_TOGETHER = 400;
/** Batches one worker process applies at once: while one waits for the database, the next is decided. */
const BATCHES_RUNNING = 2;

/** What became of the batch's alerts, by kind (each alert's own outcome is in the log and the alert log). */
export type AlertBatchResult = Record<IngestOutcome['kind'] | 'malformed', number>;

/**
 * `alerts.ingest`: a batch of accepted alerts. Each item is validated on its own (Redis is a boundary too): a
 * malformed item can never succeed, so it is logged and dropped, and the rest go on. Alerts of one group
 * (one monitor and scope) are applied in the order they were accepted, groups side by side.
 *
 * When some alerts fail (the database is down, say), the job keeps only those and fails, so BullMQ retries
 * them and not the ones already applied: while a server is unreachable, for as long as it takes
 * (src/queue/alert-retries.ts); after any other failure, OTHER_FAILURE_ATTEMPTS times. A worker that dies mid-batch has its job redelivered whole; the
 * alerts it had applied are then duplicates, which the database recognises (the alert log's _id).
 *
 * The postmortem drafts of incidents the batch resolved are written by this job, from the incidents as it left
 * them, with one insert for them all (settleDrafts); a draft that needs reading and deciding (a second
 * resolution, a withdrawal, a redelivery's) is queued as a `postmortem.draft` job, as is any when that fails.
 */
export function alertIngestProcessor(
  deps: IngestDeps,
  followUps: FollowUpDeps & Partial<Pick<DraftSettlingDeps, 'draftFirst'>>,
  logger: Logger,
) {
  // Jobs taken while the database works on a batch are applied together in the next one: at a steady rate of
  // one webhook per job, the alerts still share round trips once they come faster than the database answers.
  const apply = groupCommit<IngestInput, BatchResult>({
    run: (inputs) => ingestAlertBatch(deps, inputs),
    maxItems: APPLIED_TOGETHER,
    running: BATCHES_RUNNING,
  });
  // And so are the drafts those jobs write: one insert for the resolutions of many jobs, not one each.
  const { draftFirst: writeDrafts } = followUps;
  const draftTogether =
    writeDrafts === undefined
      ? null
      : groupCommit<Incident, boolean>({
          run: async (incidents) => {
            const left = await writeDrafts(incidents);
            return incidents.map((incident) => left.has(incident.id));
          },
          maxItems: APPLIED_TOGETHER,
          running: 1,
        });
  return async (job: Job): Promise<AlertBatchResult> => {
    const batch = alertBatchJobSchema.safeParse(job.data);
    if (!batch.success) {
      logger.error({ jobId: job.id }, 'malformed alert batch job, not retried');
      throw new UnrecoverableError('malformed job: alerts must be a non-empty array');
    }
    const items: AcceptedAlertItem[] = [];
    let malformed = 0;
    const bodies = batch.data.bodies ?? [];
    batch.data.alerts.forEach((candidate, index) => {
      // The API checked each alert with this schema before queueing it: only a job not written by it (or
      // damaged in Redis) can hold a malformed one.
      const parsed = queuedAlertSchema.safeParse(candidate);
      const item = parsed.success ? acceptedAlertOf(parsed.data, bodies) : null;
      if (item !== null) return void items.push(item);
      malformed += 1;
      const issue = parsed.success
        ? { path: ['body'], message: 'points to no body' }
        : parsed.error.issues[0];
      logger.error(
        { jobId: job.id, index, field: issue?.path.join('.'), problem: issue?.message },
        'malformed alert in a batch job, dropped',
      );
    });

    const result: AlertBatchResult = { applied: 0, duplicate: 0, held: 0, test: 0, malformed };
    const failed: AcceptedAlertItem[] = [];
    let firstError: unknown = null;
    const fail = (item: AcceptedAlertItem, error: unknown) => {
      failed.push(item);
      firstError ??= error;
    };
    const outcomes = await apply(
      items.map((item) => ({
        alert: item.alert,
        receivedAt: new Date(item.receivedAt),
        raw: item.raw,
        contentType: item.contentType,
      })),
    );
    // Follow-ups in each group's order (an incident's "opened" before its draft), groups side by side; the
    // drafts they ask for are settled together once they are done.
    const asked: (AskedDraft & { item: AcceptedAlertItem; kind: IngestOutcome['kind'] })[] = [];
    await eachLimited(
      inGroups(items.map((item, i) => ({ item, result: outcomes[i]! }))),
      GROUPS_IN_FLIGHT,
      async (group) => {
        for (const { item, result: ingested } of group) {
          if ('error' in ingested) {
            fail(item, ingested.error);
            continue;
          }
          const { alert } = item;
          const { outcome } = ingested;
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
          try {
            const incident = outcome.kind === 'applied' ? outcome.incident : null;
            await followUpIngest(
              {
                ...followUps,
                queueDraft: (draft) => {
                  asked.push({ job: draft, incident, item, kind: outcome.kind });
                  return Promise.resolve();
                },
              },
              outcome,
            );
            result[outcome.kind] += 1;
          } catch (error) {
            fail(item, error);
          }
        }
      },
    );
    const draftFirst = async (incidents: Incident[]) => {
      if (draftTogether === null) return new Set(incidents.map((i) => i.id));
      const left = await draftTogether(incidents).catch((error: unknown) => {
        logger.warn({ jobId: job.id, err: String(error) }, 'drafts not written at once, queued instead');
        throw error;
      });
      return new Set(incidents.filter((_, i) => left[i]).map((incident) => incident.id));
    };
    for (const { draft, error } of await settleDrafts(
      { queueDraft: followUps.queueDraft, draftFirst },
      asked,
    )) {
      // Its alert is tried again: a duplicate then, whose follow-up asks for the draft again.
      if (!failed.includes(draft.item)) {
        fail(draft.item, error);
        result[draft.kind] -= 1;
      }
    }
    if (failed.length > 0) {
      // Only the failed alerts are tried again; if Redis cannot take the smaller job, all of them are, harmlessly.
      await job.updateData(alertBatchJob(failed)).catch(() => undefined);
      const reason = firstError instanceof Error ? firstError.message : String(firstError);
      const message = `${failed.length} of ${items.length} alerts failed (first: ${reason})`;
      // A server that cannot be reached is waited for, however long; anything else has a bounded number of tries.
      if (!serverUnavailable(firstError) && job.attemptsMade + 1 >= OTHER_FAILURE_ATTEMPTS) {
        logger.error({ jobId: job.id, failed: failed.length, err: reason }, 'alert batch failed for good');
        throw new UnrecoverableError(`${message}; kept in the failed set for retry-failed-alerts`);
      }
      throw new Error(`${message}; they will be retried`);
    }
    return result;
  };
}

/** The batch's alerts by group, each group in the order its alerts were accepted. */
function inGroups<T extends { item: AcceptedAlertItem }>(entries: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const group = groups.get(entry.item.alert.groupKey);
    if (group) group.push(entry);
    else groups.set(entry.item.alert.groupKey, [entry]);
  }
  return [...groups.values()];
}
