/**
 * Per-source webhook rate limits: a token bucket per source kept in Redis, so every API process draws on one
 * budget. Over the limit, the answer is a 429 naming the limit, with Retry-After: never a silent drop. When
 * Redis cannot answer, the limiter lets the request through (the route itself answers 503 if it cannot queue).
 */
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import {
  bucketTtlMs,
  isUnlimited,
  rateLimitOutcome,
  takesInOrder,
  type BucketLimits,
  type BucketTake,
  type RateLimitOutcome,
} from '../domain/token-bucket';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { within } from '../queue/bounded';
import { sameTurnBatch } from '../queue/same-turn-batch';

/**
 * KEYS[1] the bucket; ARGV: burst, per minute, ttl ms, requests. Refills by the time elapsed on Redis's own
 * clock, gives each request a token while there is a whole one, and answers {tokens given, tokens before}
 * (the second as text: Redis would truncate a Lua number to an integer).
 */
const TAKE_TOKENS_LUA = `
local burst = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local requests = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1])
local at = tonumber(saved[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
local msPerToken = 60000 / perMinute
if now > at then
  tokens = tokens + (now - at) / msPerToken
  at = now
end
if tokens > burst then tokens = burst end
local given = math.min(requests, math.floor(tokens))
if given < 0 then given = 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - given), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ttl)
return { given, tostring(tokens) }
`;

type WithTakeTokens = Redis & {
  hindsightTakeTokens(
    key: string,
    burst: number,
    perMinute: number,
    ttlMs: number,
    requests: number,
  ): Promise<[number, string]>;
};

export interface RateLimiter {
  /** Takes one token from the source's bucket; null when there is no limit or Redis could not answer. */
  take(source: string): Promise<RateLimitOutcome | null>;
}

/**
 * Buckets are kept under QUEUE_PREFIX, beside the queues, so separate deployments (and test runs) never share
 * one. A take waits at most `timeoutMs` on Redis before the request goes through without it.
 */
export function createRateLimiter(
  redis: Redis,
  config: Pick<Config, 'queuePrefix' | 'rateLimitPerMinute' | 'rateLimitBurst'>,
  logger: Logger,
  timeoutMs = 500,
): RateLimiter {
  const limits: BucketLimits = { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst };
  const prefix = config.queuePrefix;
  if (isUnlimited(limits)) return { take: () => Promise.resolve(null) };
  if (!('hindsightTakeTokens' in redis))
    redis.defineCommand('hindsightTakeTokens', { numberOfKeys: 1, lua: TAKE_TOKENS_LUA });
  const client = redis as WithTakeTokens;
  // Until the connection is first up, a take waits for it (briefly); after that, an outage fails at once.
  let firstConnection: Promise<void> | null =
    redis.status === 'ready'
      ? null
      : new Promise((resolve) =>
          redis.once('ready', () => {
            firstConnection = null;
            resolve();
          }),
        );
  const ttlMs = bucketTtlMs(limits);
  // The requests of one turn of the event loop take their tokens in one call to Redis, per source.
  const takers = new Map<string, (source: string) => Promise<BucketTake>>();
  const takerFor = (source: string) => {
    let taker = takers.get(source);
    if (taker === undefined) {
      const key = `${prefix}:rate-limit:${source}`;
      taker = sameTurnBatch<string, BucketTake>({
        maxItems: 1000,
        async run(requests) {
          if (firstConnection !== null) await within(firstConnection, timeoutMs, 'not connected yet');
          const [given, before] = await within(
            client.hindsightTakeTokens(key, limits.burst, limits.perMinute, ttlMs, requests.length),
            timeoutMs,
            'timed out',
          );
          return takesInOrder(limits, Number(before), Number(given), requests.length);
        },
      });
      takers.set(source, taker);
    }
    return taker;
  };
  return {
    async take(source) {
      try {
        return rateLimitOutcome(source, limits, await takerFor(source)(source));
      } catch (error) {
        // Fail open: an unreachable Redis must not turn into refused alerts here.
        logger.warn(
          { source, err: (error as Error).message },
          'rate limiter unavailable; request let through',
        );
        return null;
      }
    },
  };
}

export class RateLimitedError extends AppError {
  constructor(outcome: RateLimitOutcome) {
    super(
      429,
      'rate_limited',
      `too many webhooks from this source; retry in ${outcome.retryAfterSeconds} s`,
      { limit: outcome.limit, retryAfterSeconds: outcome.retryAfterSeconds },
    );
  }
}

/**
 * Takes one from the source's budget for this request: sets the RateLimit headers, and over the limit sets
 * Retry-After, logs the refusal and throws the 429. Call after authentication (strangers spend no budget) and
 * before the body is read.
 */
export async function admitWithinLimit(
  limiter: RateLimiter,
  source: string,
  res: Response,
  logger: Logger,
): Promise<void> {
  const outcome = await limiter.take(source);
  if (outcome === null) return;
  for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
  if (outcome.allowed) return;
  res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
  logger.warn(
    { source, limit: outcome.limit, retryAfterSeconds: outcome.retryAfterSeconds },
    'webhook refused: over the rate limit',
  );
  throw new RateLimitedError(outcome);
}
