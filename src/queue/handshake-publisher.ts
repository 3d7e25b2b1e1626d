import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors';
import { within } from './bounded';
import { JOBS, QUEUES, sourceHandshakeJobId, type SourceHandshakeJob } from './jobs';

export interface HandshakePublisher {
  /** Resolves once Redis has the job; throws ServiceUnavailableError when it cannot. */
  queue(job: SourceHandshakeJob): Promise<void>;
  close(): Promise<void>;
}

/**
 * Retried for about an hour and a half (SNS keeps a confirmation token valid for three days), kept a day
 * when done and a week when failed, a thousand of each at most.
 */
export const HANDSHAKE_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
} as const;

export function createHandshakePublisher(
  connection: Redis,
  prefix: string,
  publishTimeoutMs = 3_000,
): HandshakePublisher {
  const queue = new Queue<SourceHandshakeJob>(QUEUES.handshakes, { connection, prefix });
  // Without a listener a connection error would be an unhandled 'error' event; queue() reports it instead.
  queue.on('error', () => undefined);
  return {
    async queue(job) {
      try {
        await within(
          queue.add(JOBS.sourceHandshake, job, {
            ...HANDSHAKE_JOB_OPTIONS,
            jobId: sourceHandshakeJobId(job),
          }),
          publishTimeoutMs,
          'timed out',
        );
      } catch {
        throw new ServiceUnavailableError('the queue is unavailable; retry later');
      }
    },
    async close() {
      await queue.close();
    },
  };
}
