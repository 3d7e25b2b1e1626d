/**
 * How an alert batch that failed is tried again. An accepted alert is never given up on because a server was
 * away: while MongoDB or Redis cannot be reached, the batch is retried with a backoff that doubles up to a
 * minute and stays there (ALERT_JOB_OPTIONS allows a week of it). Any other failure (a bug, a conflict that
 * never settles) is retried OTHER_FAILURE_ATTEMPTS times, then the batch is failed for good and kept in the
 * failed set, where `hindsight retry-failed-alerts` re-drives it once the cause is fixed.
 */
import type { BackoffStrategy } from 'bullmq';

export const ALERT_BACKOFF_TYPE = 'capped';
/** About 17 minutes of backoff, as every failure had before outages were told apart. */
export const OTHER_FAILURE_ATTEMPTS = 12;

/** ALERT_RETRY_FIRST_MS and ALERT_RETRY_MAX_MS. */
export interface AlertRetrySettings {
  firstMs: number;
  maxMs: number;
}

/** The wait after `attemptsMade` tries: doubling from firstMs, at most maxMs, the last tenth of it jittered. */
export function alertBackoffMs(
  attemptsMade: number,
  settings: AlertRetrySettings,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  const base = Math.min(settings.firstMs * 2 ** exponent, settings.maxMs);
  // Jitter spreads the retries of many batches that failed together (a storm during an outage).
  return Math.round(base * (0.9 + 0.1 * random()));
}

/** BullMQ's custom backoff (Worker settings) for `capped`; a type not ours fails the job rather than guess. */
export function alertBackoffStrategy(settings: AlertRetrySettings): BackoffStrategy {
  return (attemptsMade, type) => (type === ALERT_BACKOFF_TYPE ? alertBackoffMs(attemptsMade, settings) : -1);
}

const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoWaitQueueTimeoutError',
  'MaxRetriesPerRequestError',
  // A write the server answered in part without saying why (src/persistence/alert-log.repository.ts).
  'PartialWriteError',
]);

/**
 * Whether the error says a server could not be reached (MongoDB, or Redis for a follow-up job), rather than
 * that the alert cannot be applied. Follows `cause` chains; a server's own refusal is not unavailability
 * unless it says it is shutting down or not yet primary.
 */
export function serverUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  const hasLabel = (error as { hasErrorLabel?: unknown }).hasErrorLabel;
  if (typeof hasLabel === 'function' && hasLabel.call(error, 'RetryableWriteError') === true) return true;
  const code = (error as { code?: unknown }).code;
  // ShutdownInProgress, InterruptedAtShutdown, NotWritablePrimary, NotPrimaryNoSecondaryOk, HostUnreachable, …
  if (typeof code === 'number' && [6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436].includes(code))
    return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))
    return true;
  // mongoose: a command buffered while disconnected; ioredis: a command on a closed connection.
  if (/buffering timed out|Connection is closed|connection .* closed|ECONNREFUSED/i.test(error.message))
    return true;
  return serverUnavailable((error as { cause?: unknown }).cause, depth + 1);
}
