/**
 * Generated requests through the real app to `POST /webhooks/datadog` (no workers: accepted jobs stay waiting).
 * A valid payload, sent in any form the route accepts, is always a 202 naming its event; any other request is
 * answered 202, 400, 413 or 415 with JSON, never a 500. Afterwards the service still serves, and every accepted
 * job is in the queue. Fixed seed (FC_SEED=<n> for others); on failure fast-check prints seed and path.
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

const KNOWN_TRANSITIONS = ['Triggered', 'Re-Triggered', 'Warn', 'No Data', 'Recovered'];
/** An unknown word, and the variable unrendered: with no other transition in the payload, both are a 400. */
const UNKNOWN_TRANSITIONS = ['bogus', '$ALERT_TRANSITION'];
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

/** A payload as the custom template renders it, with random ids and one of these transition words. */
const templateWith = (transitions: string[]) =>
  fc
    .record({
      id: digits,
      monitorId: digits,
      transition: fc.constantFrom(...transitions),
      at: epochMs.map((ms) => new Date(ms).toISOString()),
      title: fc.string({ minLength: 1, maxLength: 200 }).map((s) => `Monitor ${s}`),
      scope: fc.constantFrom('host:web-1', 'host:a,env:prod', '*'),
    })
    .map((fields) => datadogPayload(fields));

/** Always valid: the template with a transition the adapter knows. */
const validPayload = templateWith(KNOWN_TRANSITIONS);
/** Accepted unless its transition is unknown. */
const templatePayload: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 5, arbitrary: validPayload },
  { weight: 2, arbitrary: templateWith(UNKNOWN_TRANSITIONS) },
);

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

/** Content types the route reads as JSON, and as a form. */
const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'APPLICATION/JSON; CHARSET=UTF8',
  'application/vnd.api+json',
];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8'];

/** A valid payload in each form the route accepts, gzipped or not: it must be accepted, as its own event. */
const validRequest: fc.Arbitrary<{ req: GeneratedRequest; eventId: string }> = fc
  .tuple(
    validPayload,
    fc.oneof(
      fc.record({ form: fc.constant('json' as const), contentType: fc.constantFrom(...JSON_TYPES) }),
      fc.record({ form: fc.constant('fields' as const), contentType: fc.constantFrom(...FORM_TYPES) }),
      fc.record({ form: fc.constant('one-field' as const), contentType: fc.constantFrom(...FORM_TYPES) }),
    ),
    // Big but under the limit: padded with an ignored field (JSON only), up to ~200 KiB.
    fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 200 * KIB })),
    fc.constantFrom('none' as const, 'gzip' as const),
  )
  .map(([payload, { form, contentType }, padding, encoding]) => {
    const text =
      form === 'json'
        ? JSON.stringify(padding === 0 ? payload : { ...payload, padding: 'x'.repeat(padding) })
        : form === 'fields'
          ? new URLSearchParams(payload).toString()
          : new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { req: { bytes: utf8(text), contentType, encoding }, eventId: `datadog:${payload.id}` };
  });

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

type WebhookAnswer = { accepted?: { jobId: string; eventId: string }[]; error?: { code?: unknown } };

/** Every job the route said it accepted, across the properties: each must be waiting in the queue. */
const acceptedJobIds = new Set<string>();

async function expectAcceptedJobsQueuedAndServing(): Promise<void> {
  const waiting = await pipeline.queue.getWaiting(0, -1);
  const counts = await pipeline.queue.getJobCounts('waiting');
  expect(counts.waiting).toBe(acceptedJobIds.size);
  expect(new Set(waiting.map((job) => job.id))).toEqual(acceptedJobIds);

  const good = await pipeline.postDatadog(
    datadogPayload({ transition: 'Triggered', at: '2026-06-14T10:00:00Z', monitorId: '424242' }),
  );
  expect(good.status).toBe(202);
  for (const accepted of (good.body as WebhookAnswer).accepted ?? []) acceptedJobIds.add(accepted.jobId);
  expect((await request(pipeline.app).get('/healthz')).status).toBe(200);
}

describe('POST /webhooks/datadog on generated requests', () => {
  it('when a valid payload arrives as JSON or a form, padded or gzipped, then it is accepted as its own event and queued', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async ({ req, eventId }) => {
        const res = await send(req);
        expect(res.status).toBe(202);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const accepted = (res.body as WebhookAnswer).accepted;
        expect(accepted).toEqual([expect.objectContaining({ eventId, jobId: expect.any(String) })]);
        for (const { jobId } of accepted ?? []) acceptedJobIds.add(jobId);
      }),
      { seed: SEED, numRuns: RUNS },
    );

    await expectAcceptedJobsQueuedAndServing();
  });

  it('when any request arrives, then 202/400/413/415 with JSON, the service keeps serving, and no accepted job is lost', async () => {
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(generatedRequest, async (req) => {
        const res = await send(req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([202, 400, 413, 415]).toContain(res.status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const body = res.body as WebhookAnswer;
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

    await expectAcceptedJobsQueuedAndServing();
  });
});
