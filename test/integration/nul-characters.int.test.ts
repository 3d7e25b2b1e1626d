/**
 * U+0000 in what people send (the database refuses to store it, and once answered 500): API bodies and query
 * strings, and the pages' forms, each answered 400 naming the field, with nothing stored.
 */
import request from 'supertest';
import { datadogPayload, startPipeline, API_TOKEN, type Pipeline } from '../helpers/pipeline';

const NUL_MESSAGE = 'contains a NUL character, which cannot be stored';
const PERSON = 'carol@example.com';
let pipeline: Pipeline;
let incidentId: string;

beforeAll(async () => {
  pipeline = await startPipeline({
    env: {
      SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
      AUTH_PROXY_HEADER: 'X-Forwarded-Email',
      // supertest connects from the loopback: the proxy's address here.
      AUTH_PROXY_TRUSTED_CIDRS: '127.0.0.1/32,::1/128',
    },
  });
  for (const [transition, at] of [
    ['Triggered', '2026-06-14T08:05:00Z'],
    ['Recovered', '2026-06-14T08:35:00Z'],
  ] as const)
    expect((await pipeline.postDatadog(datadogPayload({ monitorId: '4242', transition, at }))).status).toBe(
      202,
    );
  await pipeline.drain();
  const list = await pipeline.api('/api/incidents?limit=200');
  incidentId = (list.body.items as { id: string }[])[0]!.id;
});
afterAll(async () => {
  await pipeline.close();
});

const post = (path: string) =>
  request(pipeline.app)
    .post(path)
    .set('Authorization', `Bearer ${API_TOKEN}`)
    .set('Content-Type', 'application/json');

async function timelineKinds(): Promise<string[]> {
  const res = await pipeline.api(`/api/incidents/${incidentId}`);
  expect(res.status).toBe(200);
  return (res.body.timeline as { kind: string }[]).map((t) => t.kind);
}

/** The API's answer: JSON naming the field. */
function expectNulRefusal(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    error: { code: 'invalid_payload', field, message: `${field}: ${NUL_MESSAGE}` },
  });
}

describe('the API', () => {
  it('when a note holds a NUL character, then 400 naming text, and no note is added', async () => {
    const before = await timelineKinds();
    const res = await post(`/api/incidents/${incidentId}/notes`).send(
      JSON.stringify({ author: 'alice', text: 'rolled back\u0000 v2' }),
    );
    expectNulRefusal(res, 'text');
    expect(await timelineKinds()).toEqual(before);
    // The same note without it is taken: the refusal was the NUL character's.
    const ok = await post(`/api/incidents/${incidentId}/notes`).send(
      JSON.stringify({ author: 'alice', text: 'rolled back v2' }),
    );
    expect(ok.status).toBe(201);
    expect(await timelineKinds()).toEqual([...before, 'note']);
  });

  it('when a key of the body holds a NUL character, then 400 naming it', async () => {
    const res = await post(`/api/incidents/${incidentId}/acknowledge`).send('{"by":"alice","b\\u0000y":"x"}');
    expectNulRefusal(res, 'b\\0y');
    expect(await timelineKinds()).not.toContain('acknowledged');
  });

  it('when an action item holds a NUL character, then 400 naming the field, and no item is added', async () => {
    const res = await post(`/api/incidents/${incidentId}/postmortem/action-items`).send(
      JSON.stringify({ task: 'Add a canary', owner: 'bob\u0000' }),
    );
    expectNulRefusal(res, 'owner');
    const items = await pipeline.api(`/api/incidents/${incidentId}/postmortem/action-items`);
    expect(items.status).toBe(200);
    expect(items.body).toEqual({ items: [] });
  });

  it('when a path id holds a NUL character, then 400 naming it, and nothing changes', async () => {
    expectNulRefusal(await pipeline.api('/api/incidents/a%00b'), 'id');
    expectNulRefusal(await pipeline.api(`/api/incidents/a%00b/postmortem`), 'id');
    const item = await post(`/api/incidents/${incidentId}/postmortem/action-items`).send(
      JSON.stringify({ task: 'Add a canary' }),
    );
    expect(item.status).toBe(201);
    const complete = await post(`/api/incidents/${incidentId}/postmortem/action-items/x%00y/complete`)
      .set('If-Match', '"1"')
      .send('{}');
    expectNulRefusal(complete, 'itemId');
    const items = await pipeline.api(`/api/incidents/${incidentId}/postmortem/action-items`);
    expect((items.body.items as { status: string }[]).map((i) => i.status)).toEqual(['open']);
    await request(pipeline.app)
      .delete(`/api/incidents/${incidentId}/postmortem/action-items/${item.body.id as string}`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .set('If-Match', `"${item.body.version as number}"`)
      .expect(204);
  });

  it('when a query string holds a NUL character, then 400 naming the parameter', async () => {
    expectNulRefusal(await pipeline.api('/api/incidents?service=web%00'), 'service');
    expectNulRefusal(await pipeline.api('/api/action-items?status=open%00'), 'status');
  });
});

/** A page's answer: the error page, with the same message. */
function expectNulPage(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toContain(`${field}: ${NUL_MESSAGE}`);
}

describe('the pages', () => {
  const page = (path: string) => request(pipeline.app).get(path).set('X-Forwarded-Email', PERSON);
  const form = async (path: string, fields: Record<string, string>) => {
    const html = (await page(`/incidents/${incidentId}`)).text;
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)![1]!;
    return request(pipeline.app)
      .post(path)
      .set('X-Forwarded-Email', PERSON)
      .type('form')
      .send({ _csrf: csrf, ...fields });
  };

  it('when the note form holds a NUL character, then 400 naming text, and no note is added', async () => {
    const before = await timelineKinds();
    expectNulPage(await form(`/incidents/${incidentId}/notes`, { text: 'a\u0000b' }), 'text');
    expect(await timelineKinds()).toEqual(before);
  });

  it('when a postmortem section holds a NUL character, then 400 naming text, and the section is unchanged', async () => {
    const before = await pipeline.api(`/api/incidents/${incidentId}/postmortem`);
    expect(before.status).toBe(200);
    const res = await form(`/incidents/${incidentId}/postmortem/sections`, {
      field: 'rootCause.technical',
      version: String(before.body.version),
      base: '',
      text: 'A bad deploy\u0000',
    });
    expectNulPage(res, 'text');
    const after = await pipeline.api(`/api/incidents/${incidentId}/postmortem`);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.sections).toEqual(before.body.sections);
  });

  it('when the path of a page holds a NUL character, then 400 naming it', async () => {
    expectNulPage(await page('/incidents/a%00b'), 'id');
    expectNulPage(await page('/shared/a%00b'), 'token');
  });

  it('when a list filter holds a NUL character, then the filter is dropped, as any bad filter is', async () => {
    const res = await page('/?service=web%00&source=data%00dog');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`/incidents/${incidentId}`);
  });
});
