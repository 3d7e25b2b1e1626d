/** The read API, `/api/incidents`: auth, listing, filters, paging, one incident, and what a bad request gets. */
import request from 'supertest';
import { WEBHOOK_TOKEN, datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

type Summary = {
  id: string;
  status: string;
  services: string[];
  detectedAt: string;
  monitors: { id: string }[];
};
type Page = { items: Summary[]; nextCursor: string | null };

/** Seven incidents on distinct monitors, created in this order (so the newest is the last). */
const SEED = [
  { monitorId: '9001', service: 'checkout', resolved: false },
  { monitorId: '9002', service: 'checkout', resolved: true },
  { monitorId: '9003', service: 'payments', resolved: false },
  { monitorId: '9004', service: 'payments', resolved: true },
  { monitorId: '9005', service: 'search', resolved: false },
  { monitorId: '9006', service: 'checkout', resolved: false },
  { monitorId: '9007', service: 'search', resolved: true },
] as const;
type Seeded = (typeof SEED)[number];

const detectedAt = (i: number) => `2026-06-14T0${i + 1}:00:00.000Z`;
const recoveredAt = (i: number) => `2026-06-14T0${i + 1}:15:00.000Z`;

let pipeline: Pipeline;
/** Incident id by monitor id. */
const idOf = new Map<string, string>();
/** Every seeded incident id, newest first. */
let newestFirst: string[] = [];

const ids = (seeded: readonly Seeded[]) => new Set(seeded.map((s) => idOf.get(s.monitorId)!));
const idSet = (page: { items: Summary[] }) => new Set(page.items.map((i) => i.id));

beforeAll(async () => {
  pipeline = await startPipeline();
  for (const [i, s] of SEED.entries()) {
    const tags = `service:${s.service},env:prod,host:web-${i}`;
    const scope = `host:web-${i}`;
    const res = await pipeline.postDatadog(
      datadogPayload({ monitorId: s.monitorId, transition: 'Triggered', scope, tags, at: detectedAt(i) }),
    );
    expect(res.status).toBe(202);
    // One at a time, so creation order (and so "newest") is the seed's order.
    await pipeline.drain();
  }
  for (const [i, s] of SEED.entries()) {
    if (!s.resolved) continue;
    const tags = `service:${s.service},env:prod,host:web-${i}`;
    const payload = datadogPayload({
      monitorId: s.monitorId,
      transition: 'Recovered',
      scope: `host:web-${i}`,
      tags,
      at: recoveredAt(i),
    });
    expect((await pipeline.postDatadog(payload)).status).toBe(202);
  }
  await pipeline.drain();
  const all = await pipeline.api('/api/incidents?limit=200');
  expect(all.status).toBe(200);
  for (const item of (all.body as Page).items) idOf.set(item.monitors[0]!.id, item.id);
  expect(idOf.size).toBe(SEED.length);
  newestFirst = [...SEED].reverse().map((s) => idOf.get(s.monitorId)!);
});
afterAll(async () => {
  await pipeline.close();
});

describe('authentication', () => {
  it.each([
    ['no token', (r: request.Test) => r],
    ['a wrong token', (r: request.Test) => r.set('Authorization', 'Bearer not-the-api-token-000000')],
    ['the webhook token', (r: request.Test) => r.set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)],
    [
      'the webhook token in X-Hindsight-Token',
      (r: request.Test) => r.set('X-Hindsight-Token', WEBHOOK_TOKEN),
    ],
    ['the webhook token in ?token=', (r: request.Test) => r.query({ token: WEBHOOK_TOKEN })],
  ])('when /api is called with %s, then 401 and no incident is shown', async (_what, withAuth) => {
    for (const path of ['/api/incidents', `/api/incidents/${newestFirst[0]!}`, '/api/no-such-route']) {
      const res = await withAuth(request(pipeline.app).get(path));
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });
});

describe('GET /api/incidents', () => {
  it('when listed, then the newest incident comes first', async () => {
    const res = await pipeline.api('/api/incidents');
    expect(res.status).toBe(200);
    const page = res.body as Page;
    expect(page.items.map((i) => i.id)).toEqual(newestFirst);
    expect(page.nextCursor).toBeNull();
    const detected = page.items.map((i) => Date.parse(i.detectedAt));
    expect(detected).toEqual([...detected].sort((a, b) => b - a));
  });

  it.each([
    ['status=open', SEED.filter((s) => !s.resolved)],
    ['status=resolved', SEED.filter((s) => s.resolved)],
    ['service=checkout', SEED.filter((s) => s.service === 'checkout')],
    ['service=payments', SEED.filter((s) => s.service === 'payments')],
    ['service=checkout&status=open', SEED.filter((s) => s.service === 'checkout' && !s.resolved)],
    ['status=resolved&service=search', SEED.filter((s) => s.service === 'search' && s.resolved)],
    ['service=payments&status=resolved&limit=1', SEED.filter((s) => s.monitorId === '9004')],
    ['service=nobody', []],
  ])(
    'when filtered by %s, then exactly the matching incidents come, newest first',
    async (query, expected) => {
      const res = await pipeline.api(`/api/incidents?${query}`);
      expect(res.status).toBe(200);
      const page = res.body as Page;
      expect(idSet(page)).toEqual(ids(expected));
      expect(page.items.map((i) => i.id)).toEqual(newestFirst.filter((id) => ids(expected).has(id)));
      for (const item of page.items) {
        if (query.includes('status=')) expect(item.status).toBe(/status=(\w+)/.exec(query)![1]);
        if (query.includes('service=')) expect(item.services).toContain(/service=(\w+)/.exec(query)![1]);
      }
    },
  );

  it('when paged with limit=3, then pages of 3, 3 and 1 walk every incident exactly once and the last cursor is null', async () => {
    const sizes: number[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await pipeline.api(`/api/incidents?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(res.status).toBe(200);
      const page = res.body as Page;
      sizes.push(page.items.length);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (cursor !== null) expect(cursor).toMatch(/^[0-9a-f]{24}$/);
    } while (cursor !== null && sizes.length < 10);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(newestFirst);
  });

  it('when a filtered list is paged, then the cursor keeps the filter', async () => {
    const open = newestFirst.filter((id) => ids(SEED.filter((s) => !s.resolved)).has(id));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await pipeline.api(
        `/api/incidents?status=open&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(res.status).toBe(200);
      seen.push(...(res.body as Page).items.map((i) => i.id));
      cursor = (res.body as Page).nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(open);
  });

  it('when the limit equals the number left, then there is no next page', async () => {
    const res = await pipeline.api(`/api/incidents?limit=${SEED.length}`);
    expect((res.body as Page).items).toHaveLength(SEED.length);
    expect((res.body as Page).nextCursor).toBeNull();
  });

  it.each([
    ['status=closed', 'status'],
    ['status=', 'status'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=abc', 'cursor'],
    ['cursor=%24where', 'cursor'],
    ['status=open&status=resolved', 'status'],
  ])('when the query has %s, then 400 naming %s', async (query, field) => {
    const res = await pipeline.api(`/api/incidents?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: 'invalid_payload', field });
  });

  // `app` parses queries with the 'simple' parser, so `service[$ne]=x` arrives as a key named `service[$ne]`.
  // Acceptable answers: a 400, or a 200 that treats the value as a plain string (the incidents listed here).
  it.each([
    ['service={"$gt":""}', `service=${encodeURIComponent('{"$gt":""}')}`, []],
    ['service={"$ne":"x"}', `service=${encodeURIComponent('{"$ne":"x"}')}`, []],
    ['service[$ne]=x', 'service[$ne]=x', []],
    ['service[]=checkout', 'service[]=checkout', SEED.filter((s) => s.service === 'checkout')],
    ['status[$ne]=open', 'status[$ne]=open', []],
  ] as [string, string, Seeded[]][])(
    'when the query has %s, then it is a plain string or a 400, never an operator or a dropped filter that lists everything',
    async (_shown, query, plain) => {
      const res = await pipeline.api(`/api/incidents?${query}`);
      if (res.status === 400) {
        expect(res.body.error).toMatchObject({ code: 'invalid_payload' });
        return;
      }
      expect(res.status).toBe(200);
      const listed = (res.body as Page).items.map((i) => i.id);
      expect({ listedEverything: listed.length === SEED.length, listed: listed.length }).toEqual({
        listedEverything: false,
        listed: plain.length,
      });
      expect(new Set(listed)).toEqual(ids(plain));
    },
  );
});

describe('GET /api/incidents/:id', () => {
  const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const expectIso = (value: unknown) => {
    expect(value).toMatch(ISO_UTC);
    expect(new Date(value as string).toISOString()).toBe(value);
  };

  it('when a resolved incident is read, then it comes with its alerts and timeline, every time ISO-8601 UTC', async () => {
    const i = SEED.findIndex((s) => s.monitorId === '9002');
    const id = idOf.get('9002')!;
    const res = await pipeline.api(`/api/incidents/${id}`);
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    for (const field of [
      'id',
      'title',
      'status',
      'severity',
      'source',
      'services',
      'hosts',
      'detectedAt',
      'resolvedAt',
      'durationSeconds',
      'alerts',
      'timeline',
    ]) {
      expect(body).toHaveProperty(field);
    }
    expect(body).toMatchObject({
      id,
      title: 'High error rate on web',
      status: 'resolved',
      severity: 'P2',
      source: 'datadog',
      services: ['checkout'],
      hosts: [`web-${i}`],
      detectedAt: detectedAt(i),
      resolvedAt: recoveredAt(i),
      durationSeconds: 15 * 60,
    });
    expectIso(body.detectedAt);
    expectIso(body.resolvedAt);
    expect(body).not.toHaveProperty('_id');
    expect(body).not.toHaveProperty('events');
    expect(body).not.toHaveProperty('currentKey');

    const alerts = body.alerts as Record<string, unknown>[];
    expect(alerts).toHaveLength(1);
    expect(Object.keys(alerts[0]!).sort()).toEqual(['key', 'recoveredAt', 'scope', 'status', 'triggeredAt']);
    expect(alerts[0]).toEqual({
      key: `datadog:monitor:9002|host:web-${i}`,
      scope: `host:web-${i}`,
      status: 'recovered',
      triggeredAt: detectedAt(i),
      recoveredAt: recoveredAt(i),
    });

    const timeline = body.timeline as Record<string, unknown>[];
    expect(timeline.map((t) => t.kind)).toEqual(['triggered', 'recovered', 'resolved']);
    for (const entry of timeline) {
      expect(Object.keys(entry).sort()).toEqual(['alertKey', 'at', 'kind', 'message', 'receivedAt']);
      expectIso(entry.at);
      expectIso(entry.receivedAt);
      expect(typeof entry.message).toBe('string');
    }
    expect(timeline.map((t) => t.at)).toEqual([detectedAt(i), recoveredAt(i), recoveredAt(i)]);
    expect(timeline[0]!.alertKey).toBe(`datadog:monitor:9002|host:web-${i}`);
  });

  it('when an open incident is read, then resolvedAt and durationSeconds are null and its alert has no recovery', async () => {
    const res = await pipeline.api(`/api/incidents/${idOf.get('9001')!}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', resolvedAt: null, durationSeconds: null });
    expect(res.body.alerts).toEqual([expect.objectContaining({ status: 'triggered', recoveredAt: null })]);
  });

  it.each([
    ['an unknown but well-formed id', '0123456789abcdef01234567'],
    ['abc', 'abc'],
    ['$where', '$where'],
    ['a 12-character string', 'aaaaaaaaaaaa'],
    ['an operator object', encodeURIComponent('{"$gt":""}')],
  ])('when the id is %s, then 404 JSON', async (_what, id) => {
    const res = await pipeline.api(`/api/incidents/${id}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('when the id is not even valid percent-encoding, then a 4xx JSON answer, not a 500', async () => {
    const res = await pipeline.api('/api/incidents/%E0%A4%A');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
    expect(res.body.error.code).not.toBe('internal');
    expect([400, 404]).toContain(res.status);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET /api/nope with the API token', () => pipeline.api('/api/nope')],
    ['GET /api/incidents/x/y with the API token', () => pipeline.api('/api/incidents/x/y')],
    ['GET /nope', () => request(pipeline.app).get('/nope')],
    [
      'POST /webhooks/not-a-monitor',
      () =>
        request(pipeline.app)
          .post('/webhooks/not-a-monitor')
          .set('X-Hindsight-Token', WEBHOOK_TOKEN)
          .type('json')
          .send('{}'),
    ],
    ['GET /webhooks/datadog', () => request(pipeline.app).get('/webhooks/datadog')],
  ])('when %s, then 404 JSON', async (_what, call) => {
    const res = await call();
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});
