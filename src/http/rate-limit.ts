/**
 * Per-source webhook rate limits: a token bucket per source kept in Redis, so every API process draws on one
 * budget. Over the limit, the answer is a 429 naming the limit, with Retry-After: never a silent drop. When
 * Redis cannot answer, the limiter lets the request through (the route itself answers 503 if it cannot queue).
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import {
  bucketTtlMs,
  isUnlimited,
  rateLimitOutcome,
  type BucketLimits,
  type RateLimitOutcome,
} from '../domain/token-bucket';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { within } from '../queue/bounded';

/**
 * KEYS[1] the bucket; ARGV: burst, per minute, ttl ms. Refills by the time elapsed on Redis's own clock, takes
 * one token if there is one, and answers {allowed, whole tokens left, ms to the next token, ms to full}.
 */
const TAKE_TOKEN_LUA = `
local burst = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
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
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ttl)
local toNext = 0
if tokens < 1 then toNext = math.ceil((1 - tokens) * msPerToken) end
return { allowed, math.floor(tokens), toNext, math.ceil((burst - tokens) * msPerToken) }
`;

type TakeTokenReply = [number, number, number, number];
type WithTakeToken = Redis & {
  hindsightTakeToken(key: string, burst: number, perMinute: number, ttlMs: number): Promise<TakeTokenReply>;
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
  if (!('hindsightTakeToken' in redis))
    redis.defineCommand('hindsightTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
  const client = redis as WithTakeToken;
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
  return {
    async take(source) {
      try {
        if (firstConnection !== null) await within(firstConnection, timeoutMs, 'not connected yet');
        const key = `${prefix}:rate-limit:${source}`;
        const reply = await within(
          client.hindsightTakeToken(key, limits.burst, limits.perMinute, ttlMs),
          timeoutMs,
          'timed out',
        );
        const [allowed, remaining, msToNextToken, msToFull] = reply.map(Number) as TakeTokenReply;
        return rateLimitOutcome(source, limits, {
          allowed: allowed === 1,
          remaining,
          msToNextToken,
          msToFull,
        });
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

/** Middleware for one source's route: mount after authentication (strangers spend no budget), before the body. */
export function rateLimit(limiter: RateLimiter, source: string, logger: Logger): RequestHandler {
  return async (_req, res, next) => {
    const outcome = await limiter.take(source);
    if (outcome === null) return next();
    for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
    if (outcome.allowed) return next();
    res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
    logger.warn(
      { source, limit: outcome.limit, retryAfterSeconds: outcome.retryAfterSeconds },
      'webhook refused: over the rate limit',
    );
    throw new RateLimitedError(outcome);
  };
}
