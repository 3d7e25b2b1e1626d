/**
 * A mapped generic endpoint through HTTP, Redis, the worker and the database: the example mapping
 * (config/generic-examples/example-ci.json, which the test pipeline serves) turns a CI tool's own payloads
 * into an incident of source `generic/example-ci`, and refuses what it cannot map with a 400 naming the field.
 */
import request from 'supertest';
import { WEBHOOK_TOKEN, queuedAlerts, startPipeline, type Pipeline } from '../helpers/pipeline';
import { fixtureNamed, lifecycleOf, rawBodyOf } from '../helpers/source-fixtures';

const FOLDER = 'generic-mappings/example-ci';
const OWN_TOKEN = 'example-ci-own-token-0123456789';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ env: { WEBHOOK_TOKEN_GENERIC_EXAMPLE_CI: OWN_TOKEN } });
});
afterAll(async () => {
  await pipeline.close();
});

function post(body: string, token = OWN_TOKEN, path = '/webhooks/generic/example-ci'): request.Test {
  return request(pipeline.app)
    .post(path)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(body);
}

interface IncidentDoc {
  status: string;
  detectedAt: Date;
  resolvedAt: Date | null;
}

describe('generic/example-ci', () => {
  test('when the CI reports a failed job and then its fix, then one incident of generic/example-ci opens and resolves at the mapped times', async () => {
    const { trigger, recovery } = lifecycleOf(FOLDER);
    const incidents = pipeline.mongo.collection<IncidentDoc>('incidents');
    const first = await post(rawBodyOf(trigger));
    expect([first.status, first.body.accepted]).toEqual([202, [expect.objectContaining({ test: false })]]);
    // A redelivery of the same event (the same delivery id) changes nothing.
    expect((await post(rawBodyOf(trigger))).status).toBe(202);
    await pipeline.drain();
    expect((await incidents.find({ source: 'generic/example-ci' }).toArray()).map((i) => i.status)).toEqual([
      'open',
    ]);
    expect((await post(rawBodyOf(recovery))).status).toBe(202);
    await pipeline.drain();
    const all = await incidents.find({ source: 'generic/example-ci' }).toArray();
    expect(all.map((i) => i.status)).toEqual(['resolved']);
    const at = (name: string) => new Date(String(fixtureNamed(FOLDER, name).expect?.at));
    expect([all[0]!.detectedAt, all[0]!.resolvedAt]).toEqual([at('pipeline-failed'), at('pipeline-fixed')]);
  });

  test('when the endpoint has its own token, then the shared token is refused there', async () => {
    const res = await post(rawBodyOf(lifecycleOf(FOLDER).trigger), WEBHOOK_TOKEN);
    expect(res.status).toBe(401);
  });

  test('when a payload does not fit the mapping, then a 400 names the mapping field and nothing is queued', async () => {
    const before = queuedAlerts(pipeline);
    const res = await post(rawBodyOf(fixtureNamed(FOLDER, 'error-result-not-text')));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^fields\.status: /);
    expect((await post('{"event": ')).status).toBe(400);
    expect(queuedAlerts(pipeline)).toBe(before);
  });

  test('when a payload only carries statuses the mapping ignores, then 202 says why and nothing is queued', async () => {
    const before = queuedAlerts(pipeline);
    const res = await post(rawBodyOf(fixtureNamed(FOLDER, 'pipeline-started-ignored')));
    expect([res.status, res.body.accepted, typeof res.body.ignored]).toEqual([202, [], 'string']);
    expect(queuedAlerts(pipeline)).toBe(before);
  });

  test('when a mapped name is not configured, then its path is not found', async () => {
    const res = await post('{}', OWN_TOKEN, '/webhooks/generic/nope');
    expect(res.status).toBe(404);
  });
});
