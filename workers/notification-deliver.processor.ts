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
  const excerpt = redactTargetSecrets(await readExcerpt(response), target).slice(0, 120);
  return {
    ok: false,
    statusCode: response.status,
    error: `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
  };
}

/** Runs of white space and control characters as one space: how an excerpt is kept, and its secrets matched. */
const oneLine = (text: string) => text.replace(/[\s\p{Cc}]+/gu, ' ').trim();

/** The start of an error answer (Slack says why there: `invalid_blocks`, `no_service`). */
async function readExcerpt(response: Response): Promise<string> {
  // Read well past what is kept (120 characters), so that a secret the answer echoes is whole when redacted.
  const { body } = await readUpTo(response, 4096);
  return oneLine(body.toString('utf8'));
}

/** Shorter pieces are left alone: they would blank out ordinary words of an answer, and guess nothing. */
const MIN_VALUE_LENGTH = 4;
/** Path segments and words of header values shorter than this are left alone (`hooks`, `Bearer`). */
const MIN_WORD_LENGTH = 8;

/** `text` percent-decoded, or as it is when it is not valid percent-encoding. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every piece of a target that is a credential, longest first: its whole URL, origin and path, the path, its
 * longer segments, the query string, each query value, the fragment (each raw and percent-decoded), its header
 * values and their words. Exported for the unit test.
 */
export function targetSecrets(target: Pick<NotifyTarget, 'url' | 'headers'>): string[] {
  const url = new URL(target.url);
  const path = url.pathname.length > 1 ? url.pathname : '';
  const query = url.search.slice(1);
  const fragment = url.hash.slice(1);
  const segments = path.split('/').filter((s) => s.length >= MIN_WORD_LENGTH);
  // Raw values as written in the URL (a bare `&word&` is one too), and as URLSearchParams decodes them.
  const rawValues = query
    .split('&')
    .map((pair) => (pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair));
  const values = [...rawValues, ...url.searchParams.values()];
  const headerValues = Object.values(target.headers);
  const headerWords = headerValues
    .flatMap((v) => v.split(/[\s,;]+/))
    .filter((w) => w.length >= MIN_WORD_LENGTH);
  const pieces = [
    target.url,
    url.href,
    `${url.origin}${url.pathname}`,
    path,
    ...segments,
    query,
    url.search,
    ...values,
    fragment,
    ...headerValues,
    ...headerWords,
  ];
  const forms = pieces.flatMap((piece) => [piece, decoded(piece), decoded(piece.replace(/\+/g, ' '))]);
  const all = new Set(forms.map(oneLine).filter((piece) => piece.length >= MIN_VALUE_LENGTH));
  return [...all].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes URLs and every piece of the target's URL and headers (targetSecrets), in any letter case, should an
 * answer echo them. What is left may be stored on the delivery, shown by the API and logged.
 */
export function redactTargetSecrets(text: string, target: Pick<NotifyTarget, 'url' | 'headers'>): string {
  let out = text.replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '[url]');
  for (const secret of targetSecrets(target))
    out = out.replace(new RegExp(escapeRegExp(secret), 'gi'), '[redacted]');
  return out;
}
