import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors';
import { createJobPublisher } from './job-publisher';
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
  const publisher = createJobPublisher<SourceHandshakeJob>(connection, prefix, {
    queue: QUEUES.handshakes,
    job: JOBS.sourceHandshake,
    options: HANDSHAKE_JOB_OPTIONS,
    jobIdOf: sourceHandshakeJobId,
    timeoutMs: publishTimeoutMs,
    unreachable: () => new ServiceUnavailableError('the queue is unavailable; retry later'),
  });
  return { queue: (job) => publisher.add(job), close: () => publisher.close() };
}
