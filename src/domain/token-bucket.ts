/**
 * A source's webhook budget as a token bucket: `burst` tokens at most, refilled at `perMinute` per minute, one
 * taken per request. The bucket itself lives in Redis (src/http/rate-limit.ts does the atomic take there); this
 * file says what a take means to the caller: the headers, the Retry-After and the limit named in a 429.
 */

export interface BucketLimits {
  /** Tokens added per minute; 0 means no limit at all. */
  perMinute: number;
  /** The bucket's size: how many requests may come at once. */
  burst: number;
}

/** What the atomic take in Redis answers. */
export interface BucketTake {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** Milliseconds until the next whole token (0 while one is left). */
  msToNextToken: number;
  /** Milliseconds until the bucket is full again. */
  msToFull: number;
}

export interface RateLimitOutcome {
  allowed: boolean;
  /** `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the bucket is full again). */
  headers: Record<'RateLimit-Limit' | 'RateLimit-Remaining' | 'RateLimit-Reset', string>;
  /** Whole seconds to wait before the next request can pass: at least 1 when refused, 0 when allowed. */
  retryAfterSeconds: number;
  /** The limit in words, e.g. `datadog: 6000 requests per 60 s (bursts of 600)`. */
  limit: string;
}

export function isUnlimited(limits: BucketLimits): boolean {
  return limits.perMinute <= 0;
}

/** Milliseconds for one token to come back. */
export function msPerToken(limits: BucketLimits): number {
  return 60_000 / limits.perMinute;
}

/** How long a bucket must be kept: past this, a missing bucket and a full one are the same. */
export function bucketTtlMs(limits: BucketLimits): number {
  return Math.ceil(limits.burst * msPerToken(limits)) + 1_000;
}

export function describeLimit(source: string, limits: BucketLimits): string {
  return `${source}: ${limits.perMinute} requests per 60 s (bursts of ${limits.burst})`;
}

/**
 * The takes of `count` requests served together, in order, from a bucket that held `tokensBefore` tokens (after
 * its refill) and gave `granted` of them: the first `granted` pass, each seeing the bucket as it left it.
 */
export function takesInOrder(
  limits: BucketLimits,
  tokensBefore: number,
  granted: number,
  count: number,
): BucketTake[] {
  const ms = msPerToken(limits);
  return Array.from({ length: count }, (_, i) => {
    const after = tokensBefore - Math.min(i + 1, granted);
    return {
      allowed: i < granted,
      remaining: Math.floor(after),
      msToNextToken: after < 1 ? Math.ceil((1 - after) * ms) : 0,
      msToFull: Math.ceil((limits.burst - after) * ms),
    };
  });
}

/** Turns one take into what the HTTP layer answers. */
export function rateLimitOutcome(source: string, limits: BucketLimits, take: BucketTake): RateLimitOutcome {
  const remaining = Math.max(0, Math.min(limits.burst, Math.floor(take.remaining)));
  return {
    allowed: take.allowed,
    headers: {
      'RateLimit-Limit': String(limits.burst),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(Math.ceil(Math.max(0, take.msToFull) / 1000)),
    },
    retryAfterSeconds: take.allowed ? 0 : Math.max(1, Math.ceil(take.msToNextToken / 1000)),
    limit: describeLimit(source, limits),
  };
}
