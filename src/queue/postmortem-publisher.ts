import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { within } from './bounded';
import {
  ACTION_ITEMS_REMINDER_SCHEDULER,
  JOBS,
  QUEUES,
  postmortemDraftJobId,
  type PostmortemDraftJob,
} from './jobs';

export interface PostmortemPublisher {
  queueDraft(job: PostmortemDraftJob): Promise<void>;
  /** (Re)declares the daily reminder: a BullMQ job scheduler, so one runs however many workers start. */
  scheduleReminder(pattern: string, timezone: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A completed draft job is kept a week, so that a retried alert job queues no second one (its id is taken), and
 * at most 10,000 of them (jobs of a few hundred bytes: a bound on Redis whatever a storm resolves); a failed
 * one two weeks, as many at most.
 */
export const DRAFT_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
} as const;

export function createPostmortemPublisher(
  connection: Redis,
  prefix: string,
  timeoutMs = 10_000,
): PostmortemPublisher {
  const queue = new Queue(QUEUES.postmortems, { connection, prefix });
  queue.on('error', () => undefined);
  return {
    async queueDraft(job) {
      const add = queue.add(JOBS.postmortemDraft, job, {
        ...DRAFT_JOB_OPTIONS,
        jobId: postmortemDraftJobId(job),
      });
      await within(add, timeoutMs, 'the postmortem queue is unreachable; retry later');
    },
    async scheduleReminder(pattern, timezone) {
      await queue.upsertJobScheduler(
        ACTION_ITEMS_REMINDER_SCHEDULER,
        { pattern, tz: timezone },
        {
          name: JOBS.actionItemsRemind,
          data: {},
          opts: { attempts: 5, backoff: { type: 'exponential', delay: 5000 } },
        },
      );
    },
    async close() {
      await queue.close();
    },
  };
}
