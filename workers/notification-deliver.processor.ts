import { UnrecoverableError, type Job } from 'bullmq';
import type { NotifyTarget } from '../config/targets';
import { describeNetworkError, isPermanentStatus, readUpTo } from '../src/clients/bounded-fetch';
import type { Logger } from '../src/logger';
import { notificationDeliverJobSchema } from '../src/queue/jobs';
import type { Delivery, DeliveryStore } from '../src/use-cases/notify';

export interface DeliverDeps {
  deliveries: Pick<DeliveryStore, 'findById' | 'markDelivered' | 'recordFailure'>;
  targets: readonly NotifyTarget[];
  /** How long one POST may take, answer included. */
  timeoutMs: number;
  now: () => Date;
}

export type DeliverOutcome = 'delivered' | 'skipped';

interface Attempt {
  ok: boolean;
  statusCode: number | null;
  /** Short and URL-free: it is stored on the delivery and logged. */
  error: string;
}

/**
 * `notification.deliver`: POSTs a delivery's body to its target. 2xx marks it delivered; anything else is
 * recorded and thrown so BullMQ retries with exponential backoff, except a 4xx other than 408/429 (the target
 * refuses this request for good) and the last attempt, which mark it failed. Target URLs are credentials:
 * nothing here logs, stores or throws one; the target is named by its id.
 */
export function notificationDeliverProcessor(deps: DeliverDeps, logger: Logger) {
  const targets = new Map(deps.targets.map((t) => [t.id, t]));
  return async (job: Job): Promise<DeliverOutcome> => {
    const parsed = notificationDeliverJobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error({ jobId: job.id }, 'malformed notification job, not retried');
      throw new UnrecoverableError('malformed notification job');
    }
    const { deliveryId } = parsed.data;
    const delivery = await deps.deliveries.findById(deliveryId);
    if (delivery === null) {
      logger.error({ jobId: job.id, deliveryId }, 'notification job for an unknown delivery, not retried');
      throw new UnrecoverableError('unknown delivery');
    }
    if (delivery.status !== 'pending') return 'skipped';
    const log = { jobId: job.id, deliveryId, targetId: delivery.targetId, event: delivery.event };
    const target = targets.get(delivery.targetId);
    const attempt: Attempt = target
      ? await post(target, delivery, deps.timeoutMs)
      : { ok: false, statusCode: null, error: 'target is no longer configured' };

    if (attempt.ok) {
      await deps.deliveries.markDelivered(deliveryId, {
        statusCode: attempt.statusCode ?? 200,
        at: deps.now(),
      });
      logger.info({ ...log, attempt: job.attemptsMade + 1 }, 'notification delivered');
      return 'delivered';
    }
    const permanent = target === undefined || isPermanentStatus(attempt.statusCode);
    const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await deps.deliveries.recordFailure(deliveryId, {
      error: attempt.error,
      statusCode: attempt.statusCode,
      final,
      at: deps.now(),
    });
    const details = {
      ...log,
      attempt: job.attemptsMade + 1,
      statusCode: attempt.statusCode,
      err: attempt.error,
    };
    if (final) logger.error(details, 'notification delivery failed; giving up');
    else logger.warn(details, 'notification delivery failed; will retry');
    if (permanent) throw new UnrecoverableError(attempt.error);
    throw new Error(attempt.error);
  };
}

async function post(target: NotifyTarget, delivery: Delivery, timeoutMs: number): Promise<Attempt> {
  const headers = new Headers({ 'User-Agent': 'Hindsight' });
  for (const [name, value] of Object.entries(target.headers)) headers.set(name, value);
  headers.set('Content-Type', 'application/json');
  headers.set('Idempotency-Key', delivery.id);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: delivery.body,
      // A redirected POST would be replayed as a GET; a 3xx is an answer to retry, not to follow.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeNetworkError(error, timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, statusCode: response.status, error: '' };
  }
  const excerpt = redact(await readExcerpt(response), target).slice(0, 120);
  return {
    ok: false,
    statusCode: response.status,
    error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
  };
}

/** The start of an error answer (Slack says why there: `invalid_blocks`, `no_service`). */
async function readExcerpt(response: Response): Promise<string> {
  // Read well past what is kept (120 characters), so that a secret the answer echoes is whole when redacted.
  const { body } = await readUpTo(response, 4096);
  return body
    .toString('utf8')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
}

/** Removes URLs, the target's URL path and its header values, should an answer echo them. */
function redact(text: string, target: NotifyTarget): string {
  let out = text.replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '[url]');
  const url = new URL(target.url);
  const secrets = [target.url, url.pathname.length > 1 ? url.pathname : '', ...Object.values(target.headers)];
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
