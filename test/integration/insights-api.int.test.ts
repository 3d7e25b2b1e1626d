/**
 * `GET /api/insights` and `/api/insights.csv` through HTTP on the real test servers: the router mounted on a
 * small app over the pipeline's repositories (src/app.ts mounts it for the service), incidents seeded through
 * the repositories (so receipt times are known) and one incident made by a real webhook; and the repository
 * reads Insights makes, bounded and chunked.
 */
import express, { type Express } from 'express';
import request from 'supertest';
import type { Incident } from '../../src/domain/incident';
import { errorHandler, notFoundHandler } from '../../src/http/errors';
import { insightsRouter } from '../../src/http/insights.router';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { IN_CHUNK_SIZE } from '../../src/persistence/in-chunks';
import { itemOf, postmortemOf, seededIncident, type IncidentSeed } from '../helpers/insights';
import { fixedClock } from '../helpers/memory-stores';
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

const NOW = '2026-06-20T12:00:00.000Z';
const ZONE = 'Africa/Lagos'; // UTC+1 all year
/** June 2026 in Lagos: from=2026-06-01&to=2026-07-01. */
const JUNE_QUERY = 'from=2026-06-01&to=2026-07-01';

let pipeline: Pipeline;
let app: Express;
const seeded: Record<string, Incident> = {};

async function seed(name: string, fields: Omit<IncidentSeed, 'id'>): Promise<Incident> {
  const incident = seededIncident({ id: IncidentRepository.newId(), ...fields });
  expect(await pipeline.repositories.incidents.insertCurrent(incident)).toBe('inserted');
  seeded[name] = incident;
  return incident;
}

const after = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

beforeAll(async () => {
  pipeline = await startPipeline();
  app = express();
  app.set('query parser', 'simple');
  app.use(
    '/api',
    insightsRouter({
      incidents: pipeline.repositories.incidents,
      postmortems: pipeline.repositories.postmortems,
      actionItems: pipeline.repositories.actionItems,
      timezone: ZONE,
      now: fixedClock(NOW),
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(pipeline.logger));

  const d1 = '2026-06-02T10:00:00.000Z';
  const d2 = '2026-06-09T10:00:00.000Z';
  const d3 = '2026-06-14T23:30:00.000Z'; // Sunday in UTC, Monday 00:30 in Lagos
  const d4 = '2026-06-16T10:00:00.000Z';
  await seed('checkout', {
    detectedAt: d1,
    resolvedAt: after(d1, 600),
    acknowledgedAt: after(d1, 60),
    services: ['checkout', 'payments'],
    lagSeconds: 2,
  });
  await seed('checkout2', {
    detectedAt: d2,
    resolvedAt: after(d2, 1800),
    acknowledgedAt: after(d2, 180),
    services: ['checkout'],
    lagSeconds: 4,
  });
  await seed('formula', { detectedAt: d3, services: ['=cmd|calc'], source: 'grafana', lagSeconds: 1 });
  await seed('open', { detectedAt: d4, services: ['search'], lagSeconds: 8 });
  // Just outside June in Lagos: 2026-06-30T23:00Z is July 1st, 00:00.
  await seed('july', { detectedAt: '2026-06-30T23:00:00.000Z', resolvedAt: '2026-06-30T23:10:00.000Z' });

  const { postmortems, actionItems } = pipeline.repositories;
  expect(await postmortems.insert(postmortemOf(seeded.checkout!, 'published'))).toBe('inserted');
  expect(await postmortems.insert(postmortemOf(seeded.checkout2!, 'in_review'))).toBe('inserted');
  expect(await postmortems.insert(postmortemOf(seeded.july!, 'draft'))).toBe('inserted');
  await actionItems.insert(itemOf(seeded.checkout!.id, { deadline: '2026-06-19' })); // overdue on the 20th
  await actionItems.insert(itemOf(seeded.checkout!.id, { deadline: '2026-06-20' })); // due today
  await actionItems.insert(itemOf(seeded.checkout2!.id, { deadline: '2026-06-01', status: 'done' }));
  await actionItems.insert(itemOf(seeded.july!.id, { deadline: '2026-06-01' }));
});
afterAll(async () => {
  await pipeline?.close();
});

describe('GET /api/insights', () => {
  it('when June is asked for in dates, then the figures are those of the incidents detected in June in Lagos', async () => {
    const res = await request(app).get(`/api/insights?${JUNE_QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      period: { from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' },
      truncated: false,
      incidentLimit: 10_000,
      timezone: ZONE,
      today: '2026-06-20',
    });
    expect(res.body.totals).toEqual({
      incidents: 4,
      timeToAcknowledge: { count: 2, medianSeconds: 60, p90Seconds: 180 },
      timeToRecover: { count: 2, medianSeconds: 600, p90Seconds: 1800 },
      // Lags 2, 2, 4, 4, 1, 8: sorted 1, 2, 2, 4, 4, 8.
      deliveryLag: { count: 6, medianSeconds: 2, p90Seconds: 8 },
      postmortems: { published: 1, pending: 1 },
      actionItems: { open: 2, overdue: 1 },
    });
    const rows = res.body.byService.rows as { service: string; incidents: number }[];
    expect(rows.map((r) => [r.service, r.incidents])).toEqual([
      ['checkout', 2],
      ['=cmd|calc', 1],
      ['payments', 1],
      ['search', 1],
    ]);
    expect(res.body.bySource).toMatchObject({
      rows: [
        { source: 'datadog', incidents: 3 },
        { source: 'grafana', incidents: 1 },
      ],
      omitted: 0,
    });
    expect(res.body.weeks).toEqual([
      { weekStart: '2026-06-01', partial: false, incidents: 1, resolved: 1, timeToRecoverMedianSeconds: 600 },
      {
        weekStart: '2026-06-08',
        partial: false,
        incidents: 1,
        resolved: 1,
        timeToRecoverMedianSeconds: 1800,
      },
      {
        weekStart: '2026-06-15',
        partial: false,
        incidents: 2,
        resolved: 0,
        timeToRecoverMedianSeconds: null,
      },
      {
        weekStart: '2026-06-22',
        partial: false,
        incidents: 0,
        resolved: 0,
        timeToRecoverMedianSeconds: null,
      },
      { weekStart: '2026-06-29', partial: true, incidents: 0, resolved: 0, timeToRecoverMedianSeconds: null },
    ]);
  });

  it('when no period is given, then it is the last 30 days up to now', async () => {
    const res = await request(app).get('/api/insights');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-05-21T12:00:00.000Z', to: NOW });
    // Everything seeded but July's incident, which is after now.
    expect(res.body.totals.incidents).toBe(4);
  });

  it('when the period is given in date-times with offsets, then it is exactly that instant range', async () => {
    const res = await request(app).get(
      `/api/insights?from=${encodeURIComponent('2026-06-09T11:00:00+01:00')}&to=2026-06-16T10:00:00Z`,
    );
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-06-09T10:00:00.000Z', to: '2026-06-16T10:00:00.000Z' });
    // checkout2 at `from` is in; the open incident at `to` is out.
    expect(res.body.totals.incidents).toBe(2);
  });

  it('when the period is 366 days, then it is answered', async () => {
    const res = await request(app).get('/api/insights?from=2024-01-01&to=2025-01-01');
    expect(res.status).toBe(200);
    expect(res.body.totals.incidents).toBe(0);
    expect(res.body.weeks.length).toBeGreaterThanOrEqual(53);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-02-30', 'to'],
    ['from=2026-06-01T10:00:00', 'from'], // a local time: which zone is meant?
    ['from=2026-06-10&to=2026-06-01', 'to'],
    ['from=2026-06-10&to=2026-06-10', 'to'],
    ['from=2030-01-01', 'from'], // after now, the default `to`
    ['from=2024-01-01&to=2025-01-02', 'to'], // 367 days
    ['from=2025-06-01', 'from'], // over a year before now
    ['form=2026-06-01', 'form'],
    ['from[$gt]=2026-06-01', 'from[$gt]'],
    ['from=2026-06-01&from=2026-06-02', 'from'],
  ])('when the query has %s, then 400 naming %s', async (query, field) => {
    for (const path of ['/api/insights', '/api/insights.csv']) {
      const res = await request(app).get(`${path}?${query}`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: 'invalid_payload', field });
    }
  });
});

describe('GET /api/insights.csv', () => {
  it('when June is downloaded, then the rows come as CSV with formula-like names made inert', async () => {
    const res = await request(app).get(`/api/insights.csv?${JUNE_QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="insights-2026-06-01-2026-07-01.csv"',
    );
    const lines = res.text.split('\r\n');
    expect(lines[0]).toMatch(/^dimension,name,incidents,acknowledged,/);
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'total,,4',
      'service,checkout,2',
      "service,'=cmd|calc,1",
      'service,payments,1',
      'service,search,1',
      'source,datadog,3',
      'source,grafana,1',
    ]);
    expect(lines[1]).toBe('total,,4,2,60,180,2,600,1800,6,2,8,1,1,2,1');
    expect(lines.at(-1)).toBe('');
  });
});

describe('an incident made by a webhook', () => {
  it('when Datadog triggers and recovers, then Insights counts it with its delivery lag measured at receipt', async () => {
    const tags = 'service:webhooked,env:prod,host:web-9';
    const trigger = datadogPayload({
      monitorId: '8801',
      transition: 'Triggered',
      scope: 'host:web-9',
      tags,
      at: '2026-08-03T10:00:00.000Z',
    });
    const recovery = datadogPayload({
      monitorId: '8801',
      transition: 'Recovered',
      scope: 'host:web-9',
      tags,
      at: '2026-08-03T10:15:00.000Z',
    });
    expect((await pipeline.postDatadog(trigger)).status).toBe(202);
    await pipeline.drain();
    expect((await pipeline.postDatadog(recovery)).status).toBe(202);
    await pipeline.drain();

    const res = await request(app).get('/api/insights?from=2026-08-01&to=2026-09-01');
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      incidents: 1,
      timeToRecover: { count: 1, medianSeconds: 900 },
      timeToAcknowledge: { count: 0, medianSeconds: null },
      postmortems: { published: 0, pending: 1 }, // the draft the resolution made
    });
    // Sent months after the monitor's time: the lag is what the receipt says, not zero.
    expect(res.body.totals.deliveryLag.count).toBe(2);
    expect(res.body.totals.deliveryLag.medianSeconds).toBeGreaterThan(24 * 3600);
    const rows = res.body.byService.rows as { service: string }[];
    expect(rows.map((r) => r.service)).toEqual(['webhooked']);
  });
});

describe('the repository reads Insights makes', () => {
  it('when incidents are listed by detection, then [from, to) and the limit bound them, earliest first, without timelines', async () => {
    const { incidents } = pipeline.repositories;
    const from = new Date('2026-06-01T00:00:00.000Z');
    const to = new Date('2026-06-16T10:00:00.000Z');
    const listed = await incidents.listDetectedBetween(from, to, 100);
    expect(listed.map((i) => i.id)).toEqual([seeded.checkout!.id, seeded.checkout2!.id, seeded.formula!.id]);
    expect((await incidents.listDetectedBetween(from, to, 2)).map((i) => i.id)).toEqual([
      seeded.checkout!.id,
      seeded.checkout2!.id,
    ]);
    const first = listed[0]!;
    expect(first).toMatchObject({ timeline: [], alerts: [], notes: [], services: ['checkout', 'payments'] });
    expect(first.events.map((e) => e.receivedAt.getTime() - e.at.getTime())).toEqual([2000, 2000]);
    expect(first.acknowledgements).toHaveLength(1);
    // `to` is exclusive: the open incident detected at that instant is left out.
    expect(listed.map((i) => i.id)).not.toContain(seeded.open!.id);
  });

  it(`when more than ${IN_CHUNK_SIZE} ids are asked for, then the postmortems and items of every chunk come, each once`, async () => {
    const ids = Array.from({ length: 2 * IN_CHUNK_SIZE + 500 }, () => IncidentRepository.newId());
    const asked = [seeded.checkout!.id, ...ids, seeded.july!.id, seeded.checkout2!.id, seeded.checkout!.id];
    const found = await pipeline.repositories.postmortems.findStatuses(asked);
    expect(new Map(found.map((p) => [p.incidentId, p.status]))).toEqual(
      new Map([
        [seeded.checkout!.id, 'published'],
        [seeded.checkout2!.id, 'in_review'],
        [seeded.july!.id, 'draft'],
      ]),
    );
    expect(found).toHaveLength(3);
    // Only what a list needs is read: no facts, no sections.
    expect(found.find((p) => p.incidentId === seeded.checkout!.id)).toEqual({
      incidentId: seeded.checkout!.id,
      status: 'published',
    });

    const items = await pipeline.repositories.actionItems.listForIncidents(asked);
    const expectedOrder = [seeded.checkout!, seeded.checkout2!, seeded.july!]
      .map((i) => i.id)
      .sort()
      .flatMap((id) => (id === seeded.checkout!.id ? [id, id] : [id]));
    expect(items.map((i) => i.incidentId)).toEqual(expectedOrder);
    expect(await pipeline.repositories.actionItems.listForIncidents([])).toEqual([]);
  });
});
