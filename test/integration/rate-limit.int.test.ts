/** Per-source rate limits on `POST /webhooks/datadog`: a token bucket in Redis, shared by every API process. */
import request from 'supertest';
import { ConfigError, loadConfig } from '../../config';
import {
  WEBHOOK_TOKEN,
  datadogPayload,
  queuedAlerts,
  startPipeline,
  testEnv,
  type Pipeline,
} from '../helpers/pipeline';
import { createRateLimiter } from '../../src/http/rate-limit';
import { createLogger } from '../../src/logger';
import { createProducerConnection } from '../../src/queue/connections';
import { startRedisServer, testRedisUrl, uniqueName, type RedisServer } from '../helpers/servers';

/** 1 token a second, 5 at once: small enough to cross in a test, slow enough not to refill between requests. */
const SMALL = { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '5' };

const open: Pipeline[] = [];
async function pipelineWith(env: Record<string, string>): Promise<Pipeline> {
  const p = await startPipeline({ env, workers: 0 });
  open.push(p);
  return p;
}
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

let monitorSeq = 9000;
const trigger = () =>
  datadogPayload({
    monitorId: String((monitorSeq += 1)),
    transition: 'Triggered',
    at: '2026-06-14T10:00:00Z',
  });

async function statusesOf(p: Pipeline, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += 1) statuses.push((await p.postDatadog(trigger())).status);
  return statuses;
}

describe('rate limits', () => {
  it('when a source sends more than its burst, then the next one gets 429 naming the limit, is not queued, and passes again after Retry-After', async () => {
    const p = await pipelineWith(SMALL);
    const accepted = [];
    for (let i = 0; i < 5; i += 1) accepted.push(await p.postDatadog(trigger()));
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(accepted.map((r) => r.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    for (const r of accepted) expect(r.headers['ratelimit-limit']).toBe('5');
    expect(Number(accepted[4]!.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(4);
    expect(queuedAlerts(p)).toBe(5);

    const refused = await p.postDatadog(trigger());
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('retry'),
        limit: 'datadog: 60 requests per 60 s (bursts of 5)',
        retryAfterSeconds: retryAfter,
      },
    });
    expect(queuedAlerts(p)).toBe(5);
    expect(p.logLines.join('')).toContain('webhook refused: over the rate limit');

    // Over the limit the body is not even read: a broken one gets the same 429, not a 400.
    const broken = await request(p.app)
      .post('/webhooks/datadog')
      .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
      .type('json')
      .send('{"broken');
    expect(broken.status).toBe(429);

    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await p.postDatadog(trigger())).status).toBe(202);
    expect(queuedAlerts(p)).toBe(6);
  });

  it('when requests arrive together, then they take their tokens in one call and exactly the burst passes, each told what it left', async () => {
    const redis = createProducerConnection(testRedisUrl());
    try {
      const limiter = createRateLimiter(
        redis,
        { queuePrefix: uniqueName('hsq'), rateLimitPerMinute: 60, rateLimitBurst: 5 },
        createLogger('silent'),
      );
      await limiter.take('warm-up'); // the connection is up before the burst, as it is under load
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => limiter.take('datadog')));
      expect(outcomes.map((o) => o?.allowed)).toEqual([true, true, true, true, true, false, false, false]);
      expect(outcomes.map((o) => o?.headers['RateLimit-Remaining'])).toEqual([
        '4',
        '3',
        '2',
        '1',
        '0',
        '0',
        '0',
        '0',
      ]);
      for (const refused of outcomes.slice(5)) expect(refused?.retryAfterSeconds).toBe(1);
      // The bucket kept what the batch left: the next request waits too.
      expect((await limiter.take('datadog'))?.allowed).toBe(false);
    } finally {
      redis.disconnect();
    }
  });

  it('when a caller sends a wrong token, then it gets 401 and the source keeps its whole budget', async () => {
    const p = await pipelineWith(SMALL);
    for (let i = 0; i < 8; i += 1) {
      const res = await request(p.app)
        .post('/webhooks/datadog')
        .set('Authorization', 'Bearer not-the-token-at-all-0000')
        .type('json')
        .send(JSON.stringify(trigger()));
      expect(res.status).toBe(401);
      expect(res.headers['ratelimit-remaining']).toBeUndefined();
    }
    expect(await statusesOf(p, 6)).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('when two API instances share a QUEUE_PREFIX, then they share one budget; another prefix has its own', async () => {
    const prefix = uniqueName('hsq');
    const a = await pipelineWith({ ...SMALL, QUEUE_PREFIX: prefix });
    const b = await pipelineWith({ ...SMALL, QUEUE_PREFIX: prefix });
    const other = await pipelineWith(SMALL);
    expect(await statusesOf(a, 3)).toEqual([202, 202, 202]);
    expect(await statusesOf(b, 3)).toEqual([202, 202, 429]);
    expect((await a.postDatadog(trigger())).status).toBe(429);
    expect(await statusesOf(other, 5)).toEqual([202, 202, 202, 202, 202]);
  });

  it('when RATE_LIMIT_PER_MINUTE is 0, then nothing is limited and no RateLimit headers are sent', async () => {
    const p = await pipelineWith({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_BURST: '5' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => p.postDatadog(trigger())));
    expect(responses.filter((r) => r.status !== 202).map((r) => r.status)).toEqual([]);
    expect(responses[0]!.headers['ratelimit-limit']).toBeUndefined();
    expect(queuedAlerts(p)).toBe(50);
  });

  describe('when Redis is down', () => {
    let server: RedisServer | undefined;
    afterEach(async () => {
      await server?.start().catch(() => undefined);
      for (const p of open.splice(0)) await p.close();
      await server?.stop();
    });

    it('then the limiter lets the request through at once and the route answers 503; once Redis is back, the bucket counts again', async () => {
      server = await startRedisServer();
      const p = await pipelineWith({ ...SMALL, REDIS_URL: server.url });
      expect(await statusesOf(p, 2)).toEqual([202, 202]);

      await server.stop();
      const started = Date.now();
      const down = await p.postDatadog(trigger());
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect(down.headers['ratelimit-remaining']).toBeUndefined();
      expect(p.logLines.join('')).toContain('rate limiter unavailable');

      // A restarted Redis has lost both the bucket and the script: the script is loaded again, the bucket starts full.
      await server.start();
      // Until the connection is back, requests pass uncounted (202 or 503): wait for the first counted one.
      let left: number | undefined;
      for (const deadline = Date.now() + 10_000; left === undefined && Date.now() < deadline;) {
        const res = await p.postDatadog(trigger());
        const header: string | undefined = res.headers['ratelimit-remaining'];
        if (header !== undefined) left = Number(header);
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).toBe(4);
      expect(await statusesOf(p, 5)).toEqual([202, 202, 202, 202, 429]);
    });
  });

  it('when the limits are not whole numbers in range, then the ConfigError names both variables', () => {
    let problems: string[] = [];
    try {
      loadConfig(testEnv({ RATE_LIMIT_PER_MINUTE: '-1', RATE_LIMIT_BURST: 'lots' }));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'RATE_LIMIT_BURST',
      'RATE_LIMIT_PER_MINUTE',
    ]);
    expect(loadConfig(testEnv())).toMatchObject({ rateLimitPerMinute: 6000, rateLimitBurst: 600 });
  });
});
