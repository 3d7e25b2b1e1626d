/**
 * Generated requests through the real app to `POST /webhooks/datadog` (no workers: accepted jobs stay waiting).
 * Every answer is 202, 400, 413 or 415 with JSON, never a 500; afterwards the service still serves, and every
 * accepted job is in the queue. Fixed seed (FC_SEED=<n> for others); on failure fast-check prints seed and path.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import { WEBHOOK_TOKEN, datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

const SEED = Number(process.env.FC_SEED ?? 20260614);
const RUNS = 300;
const KIB = 1024;
const LIMIT = 1024 * KIB;

let pipeline: Pipeline;
beforeAll(async () => {
  // The rate limit is not under test here; 0 disables it, so shrinking a failure never meets a 429.
  pipeline = await startPipeline({ workers: 0, env: { RATE_LIMIT_PER_MINUTE: '0' } });
});
afterAll(async () => {
  await pipeline.close();
});

/** For `.serialize()`: sends the Buffer byte for byte (supertest would re-serialize it under a JSON type). */
const asIs = (body: unknown) => body as string;

interface GeneratedRequest {
  bytes: Buffer;
  contentType: string | undefined;
  /** `gzip`: compressed for real; `fake-gzip`: claims gzip, sends bytes that are not. */
  encoding: 'none' | 'gzip' | 'fake-gzip';
}

const TRANSITIONS = [
  'Triggered',
  'Re-Triggered',
  'Warn',
  'No Data',
  'Recovered',
  'bogus',
  '$ALERT_TRANSITION',
];
const HOSTILE_KEYS = ['$where', '$gt', 'a.b', '__proto__', 'constructor', 'prototype', 'payload'];
const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json; charset="latin1"; q=1',
  ';',
  undefined,
];

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'null', 'None', '$ID', '\u0000', '\u202Eevil', '\uD800', '[Triggered on {host:a}] x'),
);
const wild: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.double(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
const digits = fc.stringMatching(/^[1-9][0-9]{5,18}$/);
const epochMs = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });

/** A payload as the custom template renders it, with random ids: accepted unless the fuzz breaks one field. */
const templatePayload = fc
  .record({
    id: digits,
    monitorId: digits,
    transition: fc.constantFrom(...TRANSITIONS),
    at: epochMs.map((ms) => new Date(ms).toISOString()),
    title: fc.string({ minLength: 1, maxLength: 200 }).map((s) => `Monitor ${s}`),
    scope: fc.constantFrom('host:web-1', 'host:a,env:prod', '*'),
  })
  .map((fields) => datadogPayload(fields) as Record<string, unknown>);

/** The template payload with a few fields replaced by anything, and hostile extra keys. */
const mangledPayload = fc
  .tuple(
    templatePayload,
    fc.array(
      fc.tuple(fc.constantFrom('date', 'id', 'alert_id', 'tags', 'alert_title', 'event_title'), wild),
      {
        maxLength: 2,
      },
    ),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), wild), { maxLength: 3 }),
  )
  .map(([payload, replaced, extra]) => {
    const body: Record<string, unknown> = { ...payload };
    for (const [key, value] of [...replaced, ...extra])
      Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    return body;
  });

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** A form field of a payload entry: strings as they are, anything else as its JSON text. */
const formField = ([key, value]: [string, unknown]): [string, string] => [
  key,
  typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
];

const bytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: templatePayload.map((p) => utf8(JSON.stringify(p))) },
  { weight: 4, arbitrary: mangledPayload.map((p) => utf8(JSON.stringify(p))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => utf8(JSON.stringify(v))) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(templatePayload, mangledPayload)
      .map((p) => utf8(new URLSearchParams(Object.entries(p).map(formField)).toString())),
  },
  {
    weight: 1,
    arbitrary: templatePayload.map((p) =>
      utf8(new URLSearchParams({ payload: JSON.stringify(p) }).toString()),
    ),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4 * KIB }).map((b) => Buffer.from(b)) },
  // Big but under the limit: a valid payload padded with an ignored field, up to ~200 KiB.
  {
    weight: 2,
    arbitrary: fc
      .tuple(templatePayload, fc.integer({ min: 0, max: 200 * KIB }))
      .map(([p, n]) => utf8(JSON.stringify({ ...p, padding: 'x'.repeat(n) }))),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 200 }).map((d) => utf8(`${'['.repeat(d)}${']'.repeat(d)}`)),
  },
  // Over the 1 MiB limit.
  {
    weight: 1,
    arbitrary: fc
      .tuple(templatePayload, fc.integer({ min: 1, max: 64 * KIB }))
      .map(([p, n]) => utf8(JSON.stringify({ ...p, padding: 'x'.repeat(LIMIT + n) }))),
  },
);

const generatedRequest: fc.Arbitrary<GeneratedRequest> = fc.record({
  bytes,
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }) },
  ),
  encoding: fc.oneof(
    { weight: 10, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('gzip' as const, 'fake-gzip' as const) },
  ),
});

function send(req: GeneratedRequest): request.Test {
  const test = request(pipeline.app)
    .post('/webhooks/datadog')
    .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
    .serialize(asIs);
  if (req.contentType !== undefined) test.set('Content-Type', req.contentType);
  if (req.encoding !== 'none') test.set('Content-Encoding', 'gzip');
  return test.send(req.encoding === 'gzip' ? gzipSync(req.bytes) : req.bytes);
}

describe('POST /webhooks/datadog on generated requests', () => {
  it('when any request arrives, then 202/400/413/415 with JSON, the service keeps serving, and no accepted job is lost', async () => {
    const acceptedJobIds = new Set<string>();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(generatedRequest, async (req) => {
        const res = await send(req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([202, 400, 413, 415]).toContain(res.status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const body = res.body as {
          accepted?: { jobId: string; eventId: string }[];
          error?: { code?: unknown };
        };
        if (res.status === 202) {
          expect(Array.isArray(body.accepted)).toBe(true);
          expect(body.accepted).toHaveLength(1);
          for (const accepted of body.accepted ?? []) {
            expect(typeof accepted.jobId).toBe('string');
            acceptedJobIds.add(accepted.jobId);
          }
        } else {
          expect(typeof body.error?.code).toBe('string');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );

    // The generators reach every answer, so the property above is not vacuous.
    expect([...statuses.keys()].sort()).toEqual([202, 400, 413, 415]);

    const waiting = await pipeline.queue.getWaiting(0, -1);
    const counts = await pipeline.queue.getJobCounts('waiting');
    expect(counts.waiting).toBe(acceptedJobIds.size);
    expect(new Set(waiting.map((job) => job.id))).toEqual(acceptedJobIds);

    const good = await pipeline.postDatadog(
      datadogPayload({ transition: 'Triggered', at: '2026-06-14T10:00:00Z', monitorId: '424242' }),
    );
    expect(good.status).toBe(202);
    expect((await request(pipeline.app).get('/healthz')).status).toBe(200);
  });
});
