import { UnrecoverableError, type Job } from 'bullmq';
import type { HandshakeVisitor } from '../src/clients/handshake-visitor';
import type { Logger } from '../src/logger';
import { sourceHandshakeJobSchema } from '../src/queue/jobs';
import type { Source } from '../src/sources';

export interface HandshakeDeps {
  sources: readonly Source[];
  visit: HandshakeVisitor;
}

export type HandshakeResult = 'confirmed';

/**
 * `source.handshake`: visits the URL a source asked for (SNS's SubscribeURL), after asking the source again
 * whether that URL is its own: the job comes from Redis, and nothing else is ever fetched. A refusal for good
 * (a 4xx: an expired token, say) is logged and not retried; anything else is retried with backoff. The URL is
 * never logged: a SubscribeURL carries the subscription's token.
 */
export function sourceHandshakeProcessor(deps: HandshakeDeps, logger: Logger) {
  const sources = new Map(deps.sources.map((s) => [s.name, s]));
  return async (job: Job): Promise<HandshakeResult> => {
    const parsed = sourceHandshakeJobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error({ jobId: job.id }, 'malformed handshake job, not retried');
      throw new UnrecoverableError('malformed handshake job');
    }
    const { source: name, url, what } = parsed.data;
    const handshake = sources.get(name)?.handshake;
    if (handshake === undefined || !handshake.allows(url)) {
      logger.error({ jobId: job.id, source: name }, 'handshake to a URL the source does not own, refused');
      throw new UnrecoverableError('handshake URL refused');
    }
    const outcome = await deps.visit(url);
    const log = { jobId: job.id, source: name, what, attempt: job.attemptsMade + 1, result: outcome.detail };
    if (outcome.ok) {
      logger.info(log, 'handshake confirmed');
      return 'confirmed';
    }
    const final = outcome.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) logger.error(log, 'handshake failed; giving up');
    else logger.warn(log, 'handshake failed; will retry');
    if (outcome.permanent) throw new UnrecoverableError(outcome.detail);
    throw new Error(outcome.detail);
  };
}
