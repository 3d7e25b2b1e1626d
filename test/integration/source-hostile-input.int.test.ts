/**
 * Hostile input on every source's endpoint: each is refused with a 4xx whose JSON names the problem, nothing
 * is queued, and the service goes on serving. Signing sources with a secret set refuse unsigned and wrongly
 * signed requests with 401, and sources signing with a certificate (SNS) refuse unsigned ones.
 */
import request from 'supertest';
import { SOURCES, secretVariable } from '../../src/sources';
import { WEBHOOK_TOKEN, queuedAlerts, startPipeline, type Pipeline } from '../helpers/pipeline';
import { lifecycleOf, rawBodyOf } from '../helpers/source-fixtures';

const SECRET = 'hostile-input-signing-secret-0123';
const signing = SOURCES.filter((source) => source.signature !== undefined);

let pipeline: Pipeline;
beforeAll(async () => {
  const env = Object.fromEntries(signing.map((source) => [secretVariable(source.name), SECRET]));
  pipeline = await startPipeline({ env: { ...env, BODY_LIMIT_BYTES: '65536' }, workers: 0 });
});
afterAll(async () => {
  await pipeline.close();
});

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const HOSTILE: [string, string, string | Buffer][] = [
  ['an empty body', 'application/json', ''],
  ['malformed JSON', 'application/json', '{"alerts": [ {'],
  ['a JSON string', 'application/json', '"firing"'],
  ['a JSON number', 'application/json', '42'],
  ['JSON null', 'application/json', 'null'],
  ['a list of garbage', 'application/json', '[1, "a", null, {"__proto__": {"polluted": 1}}]'],
  ['JSON nested 200 deep', 'application/json', deep(200)],
  ['a body over the size limit', 'application/json', `{"pad": "${'x'.repeat(70_000)}"}`],
  ['an XML body', 'application/xml', '<alert/>'],
  ['no content type', '', '{}'],
];

function post(name: string, contentType: string, body: string | Buffer): request.Test {
  const req = request(pipeline.app).post(`/webhooks/${name}`).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`);
  return (contentType === '' ? req : req.set('Content-Type', contentType)).send(body);
}

describe.each(SOURCES.map((source) => [source.name, source] as const))('%s endpoint', (name, source) => {
  test.each(HOSTILE)(
    'when it gets %s, then a 4xx names the problem and nothing is queued',
    async (_what, type, body) => {
      const before = queuedAlerts(pipeline);
      const res = await post(name, type, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toEqual(
        expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      );
      expect(queuedAlerts(pipeline)).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  if (source.signature !== undefined) {
    const header = source.signature.header;
    test.each([
      ['no signature', undefined],
      ['a wrong signature', 'v1=00ff,sha256=00ff,00ff'],
      ['an empty signature', ''],
    ])(
      'when a request comes with %s, then 401 names the signature and nothing is queued',
      async (_what, value) => {
        const trigger = lifecycleOf(name).trigger;
        const before = queuedAlerts(pipeline);
        let req = request(pipeline.app)
          .post(`/webhooks/${name}`)
          .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
          .set('Content-Type', trigger.contentType);
        if (value !== undefined) req = req.set(header, value);
        const res = await req.send(rawBodyOf(trigger));
        expect(res.status).toBe(401);
        expect(res.body.error.message).toContain(header);
        expect(queuedAlerts(pipeline)).toBe(before);
      },
    );
  }

  if (source.certificateSignature !== undefined) {
    const what = source.certificateSignature.name;
    test('when its documented trigger comes unsigned, then 401 names the signature and nothing is queued', async () => {
      const trigger = lifecycleOf(name).trigger;
      const unsigned = { ...(trigger.body as Record<string, unknown>) };
      for (const key of ['Signature', 'SignatureVersion', 'SigningCertURL']) delete unsigned[key];
      const before = queuedAlerts(pipeline);
      const res = await post(name, trigger.contentType, JSON.stringify(unsigned));
      expect([res.status, res.body.error.message]).toEqual([401, expect.stringContaining(what)]);
      expect(queuedAlerts(pipeline)).toBe(before);
    });
  }
});

// Sources that sign with a certificate (SNS) are tried after hostile input in their own test (cloudwatch).
const unsigned = SOURCES.filter((s) => s.signature === undefined && s.certificateSignature === undefined);
describe.each(unsigned.map((s) => [s.name] as const))('%s endpoint after hostile input', (name) => {
  test('when hostile input came before, then a documented trigger is still accepted', async () => {
    const trigger = lifecycleOf(name).trigger;
    const res = await post(name, trigger.contentType, rawBodyOf(trigger));
    expect(res.status).toBe(202);
  });
});
