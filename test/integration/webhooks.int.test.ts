/** The ingest edge, `POST /webhooks/datadog`: auth, input handling, queueing, Redis outages, headers and logs. */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import {
  API_TOKEN,
  WEBHOOK_TOKEN,
  datadogPayload,
  queuedAlerts,
  startPipeline,
  type Pipeline,
} from '../helpers/pipeline';
import { startRedisServer, type RedisServer } from '../helpers/servers';

type IncidentJson = {
  id: string;
  status: string;
  monitors: { id: string }[];
  timeline: { kind: string; alertKey: string | null }[];
};

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
});

let monitorSeq = 7000;
const newMonitor = () => String((monitorSeq += 1));

const trigger = (monitorId: string, at = '2026-06-14T10:00:00Z') =>
  datadogPayload({ monitorId, transition: 'Triggered', at });

/**
 * For `.serialize()`: sends a Buffer body byte for byte. Without it supertest re-serializes a Buffer under a JSON
 * content type, and gives a bare string a form content type of its own; with a Buffer and no type set, none is sent.
 */
const asIs = (body: unknown) => body as string;

/** A POST to the Datadog webhook with no token and no body set yet. */
const post = (p: Pipeline, path = '/webhooks/datadog') => request(p.app).post(path);

/** The incidents of one monitor after the queue is drained, oldest first, with their timelines. */
async function incidentsOf(p: Pipeline, monitorId: string): Promise<IncidentJson[]> {
  await p.drain();
  const list = await p.api('/api/incidents?limit=200');
  expect(list.status).toBe(200);
  const ids = (list.body.items as IncidentJson[])
    .filter((i) => i.monitors.some((m) => m.id === monitorId))
    .map((i) => i.id);
  const full = await Promise.all(ids.map((id) => p.api(`/api/incidents/${id}`)));
  return full.map((r) => r.body as IncidentJson).reverse();
}

/** The service still takes a valid webhook after whatever came before. */
async function expectStillServing(p: Pipeline = pipeline): Promise<void> {
  const res = await p.postDatadog(trigger(newMonitor()));
  expect(res.status).toBe(202);
}

describe('authentication', () => {
  it.each([
    ['Authorization: Bearer', (r: request.Test) => r.set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)],
    ['X-Hindsight-Token', (r: request.Test) => r.set('X-Hindsight-Token', WEBHOOK_TOKEN)],
    ['?token=', (r: request.Test) => r.query({ token: WEBHOOK_TOKEN })],
    ['Basic auth as the password', (r: request.Test) => r.auth('zabbix', WEBHOOK_TOKEN)],
  ])('when the token comes in %s, then the webhook is accepted and applied', async (_where, withToken) => {
    const m = newMonitor();
    const payload = trigger(m);
    const res = await withToken(post(pipeline))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(payload));
    expect(res.status).toBe(202);
    expect(res.body.accepted).toEqual([expect.objectContaining({ eventId: `datadog:${payload.id}` })]);
    expect(await incidentsOf(pipeline, m)).toHaveLength(1);
  });

  it('when the token is missing, wrong, wrong in its last character or an empty Bearer, then 401 with one same body and nothing is queued', async () => {
    await pipeline.drain();
    const before = queuedAlerts(pipeline);
    const m = newMonitor();
    const body = JSON.stringify(trigger(m));
    const lastCharOff = `${WEBHOOK_TOKEN.slice(0, -1)}${WEBHOOK_TOKEN.endsWith('9') ? '8' : '9'}`;
    expect(lastCharOff).not.toBe(WEBHOOK_TOKEN);
    expect(lastCharOff).toHaveLength(WEBHOOK_TOKEN.length);
    const attempts: [string, request.Test][] = [
      ['no token', post(pipeline)],
      ['wrong bearer', post(pipeline).set('Authorization', 'Bearer not-the-token-at-all-0000')],
      ['last char bearer', post(pipeline).set('Authorization', `Bearer ${lastCharOff}`)],
      ['last char header', post(pipeline).set('X-Hindsight-Token', lastCharOff)],
      ['last char query', post(pipeline).query({ token: lastCharOff })],
      ['empty bearer', post(pipeline).set('Authorization', 'Bearer ')],
      ['bare Bearer', post(pipeline).set('Authorization', 'Bearer')],
      ['empty query', post(pipeline).query({ token: '' })],
      ['token as Basic', post(pipeline).set('Authorization', `Basic ${WEBHOOK_TOKEN}`)],
      ['prefix of the token', post(pipeline).set('X-Hindsight-Token', WEBHOOK_TOKEN.slice(0, -1))],
      ['token plus a char', post(pipeline).set('X-Hindsight-Token', `${WEBHOOK_TOKEN}x`)],
    ];
    const bodies: unknown[] = [];
    for (const [name, req] of attempts) {
      const res = await req.set('Content-Type', 'application/json').send(body);
      expect({ name, status: res.status, json: res.headers['content-type'] }).toEqual({
        name,
        status: 401,
        json: expect.stringMatching(/^application\/json/),
      });
      bodies.push(res.body);
    }
    expect(bodies[0]).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(JSON.stringify(bodies[0])).not.toMatch(/bearer|header|query|x-hindsight|length|last/i);

    expect(queuedAlerts(pipeline)).toBe(before);
    expect(await incidentsOf(pipeline, m)).toHaveLength(0);
  });

  it('when a wrong token is in the header and the right one in the query, then the header decides and it is 401', async () => {
    const res = await post(pipeline)
      .set('X-Hindsight-Token', 'not-the-token-at-all-0000')
      .query({ token: WEBHOOK_TOKEN })
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(trigger(newMonitor())));
    expect(res.status).toBe(401);
  });

  it('when WEBHOOK_TOKEN_DATADOG is set, then it is the Datadog token and the generic one is refused', async () => {
    const specific = 'datadog-only-token-abcdefghijkl';
    const own = await startPipeline({ env: { WEBHOOK_TOKEN_DATADOG: specific }, workers: 0 });
    try {
      const body = JSON.stringify(trigger(newMonitor()));
      const generic = await post(own).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).type('json').send(body);
      expect(generic.status).toBe(401);
      expect(queuedAlerts(own)).toBe(0);
      const accepted = await post(own).set('Authorization', `Bearer ${specific}`).type('json').send(body);
      expect(accepted.status).toBe(202);
      expect(queuedAlerts(own)).toBe(1);
    } finally {
      await own.close();
    }
  });
});

describe('queueing', () => {
  it('when a webhook gets 202, then the body names its eventId and jobId and that job already holds the alert in Redis', async () => {
    const idle = await startPipeline({ workers: 0 });
    try {
      const m = newMonitor();
      const payload = trigger(m);
      const res = await idle.postDatadog(payload);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        accepted: [{ eventId: `datadog:${payload.id}`, jobId: expect.any(String), test: false }],
      });
      const jobId = res.body.accepted[0].jobId as string;
      const job = await idle.queue.getJob(jobId);
      expect(job).toBeDefined();
      expect(await job!.getState()).toBe('waiting');
      expect(job!.data).toEqual({
        alerts: [
          expect.objectContaining({
            alert: expect.objectContaining({
              eventId: `datadog:${payload.id}`,
              groupKey: `datadog:monitor:${m}`,
            }),
            contentType: 'application/json',
            body: 0,
          }),
        ],
        // The request's body, once however many alerts it carries.
        bodies: [JSON.stringify(payload)],
      });

      // And it is a job a worker can take: started now, it turns it into the incident.
      await idle.addWorker();
      expect(await incidentsOf(idle, m)).toHaveLength(1);
    } finally {
      await idle.close();
    }
  });
});

describe('bad input', () => {
  const big = (): string => {
    const payload = trigger('1');
    payload.event_msg = 'x'.repeat(1.5 * 1024 * 1024);
    return JSON.stringify(payload);
  };
  const cases: {
    when: string;
    type?: string;
    encoding?: string;
    body: () => string | Buffer;
    status: number;
    code?: string;
    field?: string;
  }[] = [
    {
      when: 'the JSON is malformed',
      type: 'application/json',
      body: () => '{"id": "1", "alert_transition": ',
      status: 400,
      field: 'body',
    },
    {
      when: 'the content type is text/plain',
      type: 'text/plain',
      body: () => JSON.stringify(trigger('1')),
      status: 415,
      field: 'content-type',
    },
    {
      when: 'the content type is application/xml',
      type: 'application/xml',
      body: () => '<alert><id>1</id></alert>',
      status: 415,
      field: 'content-type',
    },
    {
      when: 'there is no content type',
      body: () => JSON.stringify(trigger('1')),
      status: 415,
      field: 'content-type',
    },
    { when: 'the body is empty', type: 'application/json', body: () => '', status: 400, field: 'body' },
    {
      when: 'the body is only whitespace',
      type: 'application/json',
      body: () => '  \n ',
      status: 400,
      field: 'body',
    },
    {
      when: 'the body is 1.5 MiB',
      type: 'application/json',
      body: big,
      status: 413,
      code: 'payload_too_large',
    },
    {
      when: 'the JSON is 10,000 nested arrays',
      type: 'application/json',
      body: () => `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      status: 400,
      field: 'body',
    },
    {
      when: 'the JSON is 10,000 nested objects',
      type: 'application/json',
      body: () => `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      status: 400,
      field: 'body',
    },
    {
      when: 'a valid payload hides 10,000 nested objects in an unknown key',
      type: 'application/json',
      body: () =>
        JSON.stringify(trigger('1')).replace(
          /^\{/,
          `{"deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)},`,
        ),
      status: 400,
      field: 'body',
    },
    {
      when: 'the body is a JSON array',
      type: 'application/json',
      body: () => JSON.stringify([trigger('1')]),
      status: 400,
      field: 'payload',
    },
    {
      when: 'the body is a JSON number',
      type: 'application/json',
      body: () => '42',
      status: 400,
      field: 'payload',
    },
    {
      when: 'the body is a JSON string',
      type: 'application/json',
      body: () => '"Triggered"',
      status: 400,
      field: 'payload',
    },
    {
      when: 'the body is JSON null',
      type: 'application/json',
      body: () => 'null',
      status: 400,
      field: 'payload',
    },
    {
      when: 'the transition is unknown',
      type: 'application/json',
      body: () => JSON.stringify({ ...trigger('1'), alert_transition: 'Exploded' }),
      status: 400,
      field: 'alert_transition',
    },
    {
      when: 'a gzip body inflates past the limit',
      type: 'application/json',
      encoding: 'gzip',
      body: () => gzipSync(big()),
      status: 413,
      code: 'payload_too_large',
    },
    {
      when: 'a gzip body is corrupt',
      type: 'application/json',
      encoding: 'gzip',
      body: () => 'this is not gzip',
      status: 400,
    },
    {
      when: 'a gzip body is truncated',
      type: 'application/json',
      encoding: 'gzip',
      body: () => gzipSync(JSON.stringify(trigger('1'))).subarray(0, 30),
      status: 400,
    },
    {
      when: 'the content encoding is unknown',
      type: 'application/json',
      encoding: 'compress-9000',
      body: () => JSON.stringify(trigger('1')),
      status: 415,
      code: 'unsupported_encoding',
    },
    {
      when: 'a known field has the wrong type',
      type: 'application/json',
      body: () => JSON.stringify({ ...trigger('1'), alert_title: { $gt: '' } }),
      status: 400,
      field: 'alert_title',
    },
  ];

  it.each(cases)(
    'when $when, then $status with JSON naming the problem, and the service keeps serving',
    async (c) => {
      await pipeline.drain();
      const before = queuedAlerts(pipeline);
      const req = post(pipeline).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).serialize(asIs);
      if (c.type !== undefined) req.set('Content-Type', c.type);
      if (c.encoding !== undefined) req.set('Content-Encoding', c.encoding);
      const body = c.body();
      const res = await req.send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toEqual(
        expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      );
      if (c.code !== undefined) expect(res.body.error.code).toBe(c.code);
      if (c.field !== undefined) expect(res.body.error.field).toBe(c.field);
      expect(queuedAlerts(pipeline)).toBe(before);
      await expectStillServing();
    },
  );
});

describe('hostile keys', () => {
  it('when a valid payload carries $gt, $where, __proto__, constructor and dotted keys, then it is accepted, logged verbatim and pollutes nothing', async () => {
    const m = newMonitor();
    const payload = trigger(m);
    const hostile =
      '{"$gt":"","$where":"sleep(1000)","__proto__":{"polluted":1,"alert_transition":"Recovered"},' +
      '"constructor":{"prototype":{"polluted":1}},"a.b":"c","$set":{"status":"resolved"},"toString":"x",' +
      JSON.stringify(payload).slice(1);
    const res = await pipeline.postDatadog(hostile);
    expect(res.status).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');

    const [incident, ...others] = await incidentsOf(pipeline, m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ status: 'open' });
    expect(incident!.timeline.map((t) => t.kind)).toEqual(['triggered']);

    const logged = await pipeline.mongo.collection('alert_log').findOne({ eventId: `datadog:${payload.id}` });
    expect(logged).toMatchObject({ status: 'applied', incidentId: incident!.id });
    expect(logged!.raw).toBe(hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('form-encoded payloads', () => {
  it.each([
    ['one form field per payload key', (p: Record<string, string>) => new URLSearchParams(p).toString()],
    [
      'the JSON payload in a single form field',
      (p: Record<string, string>) => new URLSearchParams({ payload: JSON.stringify(p) }).toString(),
    ],
  ])('when Datadog sends %s, then 202 and an incident', async (_how, encode) => {
    const m = newMonitor();
    const payload = trigger(m, '2026-06-14T09:30:00Z');
    const res = await post(pipeline)
      .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(encode(payload));
    expect(res.status).toBe(202);
    expect(res.body.accepted[0].eventId).toBe(`datadog:${payload.id}`);
    const [incident, ...others] = await incidentsOf(pipeline, m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ status: 'open', detectedAt: '2026-06-14T09:30:00.000Z' });
  });
});

describe('compressed payloads', () => {
  it('when a valid payload comes gzip-compressed, then 202 and an incident', async () => {
    const m = newMonitor();
    const res = await post(pipeline)
      .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(asIs)
      .send(gzipSync(JSON.stringify(trigger(m))));
    expect(res.status).toBe(202);
    expect(await incidentsOf(pipeline, m)).toHaveLength(1);
  });
});

describe('Redis down', () => {
  let server: RedisServer | undefined;
  let own: Pipeline | undefined;
  afterAll(async () => {
    // If the test failed while Redis was down, bring it back first so the pipeline can close cleanly.
    await server?.start().catch(() => undefined);
    await own?.close();
    await server?.stop();
  });

  it('when Redis stops, then webhooks get 503 quickly and /readyz names redis; when it is back, every accepted alert is applied once', async () => {
    server = await startRedisServer();
    own = await startPipeline({ env: { REDIS_URL: server.url } });
    const p = own;
    const m1 = newMonitor();
    const m2 = newMonitor();

    // Accepted before the outage, and drained before Redis is killed (it keeps nothing on disk).
    expect((await p.postDatadog(trigger(m1, '2026-06-14T10:00:00Z'))).status).toBe(202);
    await p.drain();

    await server.stop();
    const recovery = datadogPayload({ monitorId: m1, transition: 'Recovered', at: '2026-06-14T10:20:00Z' });
    const started = Date.now();
    const down = await p.postDatadog(recovery);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/json/);
    expect(down.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });

    const notReady = await request(p.app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ status: 'unavailable', checks: { redis: 'unreachable', mongodb: 'ok' } });
    expect((await request(p.app).get('/healthz')).status).toBe(200);

    await server.start();
    // Datadog retries what got 503; so does the test, until Redis is reachable again.
    const retried: number[] = [];
    for (const deadline = Date.now() + 10_000; ;) {
      const res = await p.postDatadog(recovery);
      retried.push(res.status);
      if (res.status === 202) break;
      expect(res.status).toBe(503);
      if (Date.now() > deadline)
        throw new Error(`webhook still refused after Redis restarted: ${retried.join(',')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await p.postDatadog(trigger(m2, '2026-06-14T10:30:00Z'))).status).toBe(202);
    expect((await request(p.app).get('/readyz')).status).toBe(200);

    const [first, ...moreOfM1] = await incidentsOf(p, m1);
    expect(moreOfM1).toHaveLength(0);
    expect(first).toMatchObject({ status: 'resolved' });
    expect(first!.timeline.map((t) => t.kind)).toEqual(['triggered', 'recovered', 'resolved']);
    const [second, ...moreOfM2] = await incidentsOf(p, m2);
    expect(moreOfM2).toHaveLength(0);
    expect(second).toMatchObject({ status: 'open' });
    expect(await p.mongo.collection('alert_log').countDocuments({ eventId: `datadog:${recovery.id}` })).toBe(
      1,
    );
  });
});

describe('health', () => {
  it('when both servers answer, then /healthz is 200 and /readyz is 200 with both checks ok', async () => {
    const health = await request(pipeline.app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await request(pipeline.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { redis: 'ok', mongodb: 'ok' } });
  });
});

describe('response headers', () => {
  it('when any route answers, success or error, then it sends nosniff, a request id and no x-powered-by', async () => {
    const responses = [
      await request(pipeline.app).get('/healthz'),
      await request(pipeline.app).get('/readyz'),
      await pipeline.postDatadog(trigger(newMonitor())),
      await post(pipeline)
        .type('json')
        .send(JSON.stringify(trigger(newMonitor()))),
      await pipeline.postDatadog('{"broken'),
      await post(pipeline).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).type('text/plain').send('hello'),
      await request(pipeline.app).get('/api/incidents'),
      await pipeline.api('/api/incidents'),
      await request(pipeline.app).get('/no/such/route'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 202, 401, 400, 415, 401, 200, 404]);
    const ids = new Set<string>();
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      ids.add(res.headers['x-request-id'] as string);
    }
    expect(ids.size).toBe(responses.length);
  });

  it('when the caller sends a well-formed X-Request-Id, then it is echoed; a hostile one is replaced', async () => {
    const echoed = await request(pipeline.app).get('/healthz').set('X-Request-Id', 'dd-req.42_a');
    expect(echoed.headers['x-request-id']).toBe('dd-req.42_a');
    const replaced = await request(pipeline.app).get('/healthz').set('X-Request-Id', 'bad id\t<script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('logs', () => {
  it('when tokens come in headers and in ?token=, right or wrong, then no log line contains them', async () => {
    const wrong = 'wrong-token-that-must-not-be-logged';
    const own = await startPipeline({ env: { LOG_LEVEL: 'debug' } });
    try {
      const body = () => JSON.stringify(trigger(newMonitor()));
      const statuses = [
        (await post(own).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).type('json').send(body())).status,
        (await post(own).set('X-Hindsight-Token', WEBHOOK_TOKEN).type('json').send(body())).status,
        (await post(own).query({ token: WEBHOOK_TOKEN }).type('json').send(body())).status,
        (await post(own).query({ token: WEBHOOK_TOKEN }).type('json').send('{"broken')).status,
        (await post(own).set('Authorization', `Bearer ${wrong}`).type('json').send(body())).status,
        (await post(own).query({ token: wrong }).type('json').send(body())).status,
        (await own.api('/api/incidents')).status,
        (await request(own.app).get('/api/incidents').set('Authorization', `Bearer ${wrong}`)).status,
      ];
      expect(statuses).toEqual([202, 202, 202, 400, 401, 401, 200, 401]);
      // A request that ends in the error handler's own log line (whatever its status) carries a token too.
      await post(own)
        .query({ token: WEBHOOK_TOKEN })
        .type('json')
        .set('Content-Encoding', 'gzip')
        .send('not gzip');
      await own.drain();

      const logs = own.logLines.join('');
      expect(own.logLines.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(
        statuses.length,
      );
      expect(logs).toContain('alert ingested');
      expect(logs).not.toContain(WEBHOOK_TOKEN);
      expect(logs).not.toContain(API_TOKEN);
      expect(logs).not.toContain(wrong);
      expect(logs).not.toContain('token=');
    } finally {
      await own.close();
    }
  });
});
