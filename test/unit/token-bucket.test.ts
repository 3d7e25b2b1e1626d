import {
  bucketTtlMs,
  describeLimit,
  isUnlimited,
  rateLimitOutcome,
  takesInOrder,
} from '../../src/domain/token-bucket';

const limits = { perMinute: 6000, burst: 600 };

describe('token bucket outcome', () => {
  it('when a take is allowed, then the headers give the burst, the whole tokens left and the seconds to full', () => {
    const outcome = rateLimitOutcome('datadog', limits, {
      allowed: true,
      remaining: 41.7,
      msToNextToken: 0,
      msToFull: 5_581,
    });
    expect(outcome).toEqual({
      allowed: true,
      headers: { 'RateLimit-Limit': '600', 'RateLimit-Remaining': '41', 'RateLimit-Reset': '6' },
      retryAfterSeconds: 0,
      limit: 'datadog: 6000 requests per 60 s (bursts of 600)',
    });
  });

  it.each([
    [1, 1],
    [999, 1],
    [1_000, 1],
    [1_001, 2],
    [0, 1],
  ])(
    'when a take is refused %i ms before the next token, then Retry-After is %i s (never 0)',
    (msToNextToken, seconds) => {
      const outcome = rateLimitOutcome(
        'datadog',
        { perMinute: 60, burst: 5 },
        {
          allowed: false,
          remaining: 0,
          msToNextToken,
          msToFull: 4_900,
        },
      );
      expect(outcome.allowed).toBe(false);
      expect(outcome.retryAfterSeconds).toBe(seconds);
      expect(outcome.headers['RateLimit-Remaining']).toBe('0');
      expect(outcome.limit).toBe('datadog: 60 requests per 60 s (bursts of 5)');
    },
  );

  it('when Redis answers a count outside the bucket, then Remaining stays between 0 and the burst', () => {
    const high = rateLimitOutcome('datadog', limits, {
      allowed: true,
      remaining: 9_999,
      msToNextToken: 0,
      msToFull: 0,
    });
    const low = rateLimitOutcome('datadog', limits, {
      allowed: false,
      remaining: -3,
      msToNextToken: 5,
      msToFull: -1,
    });
    expect(high.headers['RateLimit-Remaining']).toBe('600');
    expect(low.headers['RateLimit-Remaining']).toBe('0');
    expect(low.headers['RateLimit-Reset']).toBe('0');
  });

  it('when the rate is 0, then there is no limit; otherwise a bucket lives as long as a full refill and a second', () => {
    expect(isUnlimited({ perMinute: 0, burst: 600 })).toBe(true);
    expect(isUnlimited(limits)).toBe(false);
    expect(bucketTtlMs(limits)).toBe(6_000 + 1_000);
    expect(bucketTtlMs({ perMinute: 60, burst: 5 })).toBe(5_000 + 1_000);
    expect(describeLimit('datadog', { perMinute: 1, burst: 1 })).toBe(
      'datadog: 1 requests per 60 s (bursts of 1)',
    );
  });
});

describe('requests served together', () => {
  // 6000 per minute: one token every 10 ms.
  it('when 4 requests meet a bucket of 2.5 tokens, then the first 2 pass, each seeing the bucket it left, and the others wait for the next token', () => {
    expect(takesInOrder(limits, 2.5, 2, 4)).toEqual([
      { allowed: true, remaining: 1, msToNextToken: 0, msToFull: 5_985 },
      { allowed: true, remaining: 0, msToNextToken: 5, msToFull: 5_995 },
      { allowed: false, remaining: 0, msToNextToken: 5, msToFull: 5_995 },
      { allowed: false, remaining: 0, msToNextToken: 5, msToFull: 5_995 },
    ]);
  });

  it('when one request meets a full bucket, then it is the single take it always was', () => {
    expect(takesInOrder(limits, 600, 1, 1)).toEqual([
      { allowed: true, remaining: 599, msToNextToken: 0, msToFull: 10 },
    ]);
  });

  it('when the bucket is empty, then nobody passes and Retry-After counts to the next whole token', () => {
    const takes = takesInOrder(limits, 0.2, 0, 3);
    expect(takes.map((t) => t.allowed)).toEqual([false, false, false]);
    expect(rateLimitOutcome('datadog', limits, takes[2]!).retryAfterSeconds).toBe(1);
    expect(takes[0]!.msToNextToken).toBe(8);
  });
});
