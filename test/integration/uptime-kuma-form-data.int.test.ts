/**
 * Uptime Kuma's form-data body through HTTP, Redis, the worker and the database: a DOWN and an UP sent as
 * multipart/form-data (the fixtures, made with the form-data package Uptime Kuma uses) open and resolve one
 * incident, and the same UP sent as JSON is the same event, so it changes nothing.
 */
import request from 'supertest';
import { WEBHOOK_TOKEN, startPipeline, type Pipeline } from '../helpers/pipeline';
import { storedIncidents } from '../helpers/stored-incidents';
import { fixtureNamed, rawBodyOf } from '../helpers/source-fixtures';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
});

function post(name: string): request.Test {
  const fixture = fixtureNamed('uptime-kuma', name);
  return request(pipeline.app)
    .post('/webhooks/uptime-kuma')
    .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
    .set('Content-Type', fixture.contentType)
    .send(rawBodyOf(fixture));
}

test('when a monitor goes DOWN and UP in form-data, then one incident opens and resolves; the same UP in JSON changes nothing', async () => {
  const incidents = pipeline.mongo.collection<{ status: string }>('incidents');
  const down = await post('form-data-down-trigger');
  expect([down.status, down.body.accepted]).toEqual([202, [expect.objectContaining({ test: false })]]);
  await pipeline.drain();
  expect((await incidents.find({ source: 'uptime-kuma' }).toArray()).map((i) => i.status)).toEqual(['open']);

  const up = await post('form-data-up-recovery');
  expect(up.status).toBe(202);
  await pipeline.drain();
  const json = await post('up-recovery');
  expect(json.body.accepted[0].eventId).toBe(up.body.accepted[0].eventId);
  await pipeline.drain();
  const all = await storedIncidents(pipeline.mongo, { source: 'uptime-kuma' });
  expect(all.map((i) => [i.status, i.events.length])).toEqual([['resolved', 2]]);
  const logged = await pipeline.mongo.collection('alert_log').countDocuments({ source: 'uptime-kuma' });
  expect(logged).toBe(2);
});

test('when a form-data body has no data field, then 400 names data and nothing is queued', async () => {
  const res = await post('error-form-data-without-data');
  expect([res.status, res.body.error.field]).toEqual([400, 'data']);
});
