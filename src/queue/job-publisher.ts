import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { within } from './bounded';

/** Adds one kind of job to one queue, each with an id from its data (so the same job is added once). */
export interface JobPublisher<Data> {
  /** Resolves once Redis has the job; rejects (after `timeoutMs` at most) when it cannot. */
  add(data: Data): Promise<void>;
  close(): Promise<void>;
}

export interface JobSpec<Data> {
  queue: string;
  job: string;
  options: JobsOptions;
  jobIdOf(data: Data): string;
  /** How long an add waits for Redis; the error it rejects with then. */
  timeoutMs: number;
  unreachable: () => Error;
}

export function createJobPublisher<Data>(
  connection: Redis,
  prefix: string,
  spec: JobSpec<Data>,
): JobPublisher<Data> {
  const queue = new Queue(spec.queue, { connection, prefix });
  // Without a listener a connection error would be an unhandled 'error' event; add() reports it instead.
  queue.on('error', () => undefined);
  return {
    async add(data) {
      try {
        await within(
          queue.add(spec.job, data, { ...spec.options, jobId: spec.jobIdOf(data) }),
          spec.timeoutMs,
          'timed out',
        );
      } catch {
        throw spec.unreachable();
      }
    },
    async close() {
      await queue.close();
    },
  };
}
