/**
 * Datadog enrichment when an incident resolves, through HTTP, Redis, the workers and the database, against the
 * local stand-in for Datadog's API: the reference incident (../shared/reference/incident-report-example.txt,
 * the home page’s 404s from 18:26 to 19:58 WAT, GMT+1 to Node’s time-zone data, after a push at 18:16) replayed with its monitor, a metric series
 * and three events. The draft is written first and says enrichment is pending; then it shows the query, the
 * peak, the crossing times, a graph link and only the change of the affected service inside the window, in the
 * timeline and under Root cause. Publishing exports a notebook (DD_EXPORT_NOTEBOOKS). Datadog down while the
 * incident resolves leaves the incident and the draft as without enrichment, and it lands when Datadog answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATADOG_PAYLOADS, startDatadogStandIn, type DatadogStandIn } from '../helpers/datadog-stand-in';
import { API_TOKEN, datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';
import request from 'supertest';

const MONITOR_ID = 1234;
const QUERY = 'sum:trace.http.request.hits{http.status_code:404,service:web} by {url}';
const MONITOR = {
  ...DATADOG_PAYLOADS.monitor,
  id: MONITOR_ID,
  name: 'Home page 404s',
  type: 'query alert',
  query: `sum(last_5m):${QUERY} > 100`,
  options: { ...DATADOG_PAYLOADS.monitor.options, thresholds: { critical: 100, warning: 50 } },
  matching_downtimes: [],
};
const MINUTE = 60_000;
const DETECTED = Date.parse('2019-06-28T17:26:00Z');
const RESOLVED = Date.parse('2019-06-28T18:58:00Z');

/** One point a minute from 17:00 to 19:30 UTC: 10, then above 100 from 17:23 (peak 420 at 17:31) to 18:56. */
function homePagePoints(): [number, number][] {
  const points: [number, number][] = [];
  for (let t = Date.parse('2019-06-28T17:00:00Z'); t <= Date.parse('2019-06-28T19:30:00Z'); t += MINUTE) {
    const inside = t >= Date.parse('2019-06-28T17:23:00Z') && t <= Date.parse('2019-06-28T18:56:00Z');
    const value = t === Date.parse('2019-06-28T17:31:00Z') ? 420 : inside ? 250 : 10;
    points.push([t, value]);
  }
  return points;
}

const SERIES = {
  ...DATADOG_PAYLOADS.query,
  query: QUERY,
  series: [
    {
      ...DATADOG_PAYLOADS.query.series[0],
      metric: 'trace.http.request.hits',
      expression: 'sum:trace.http.request.hits{http.status_code:404,service:web,url:/}',
      scope: 'url:/',
      pointlist: homePagePoints(),
      unit: null,
    },
  ],
};

const event = (id: string, at: string, title: string, tags: string[], source = 'github') => ({
  ...DATADOG_PAYLOADS.events.events[0],
  id: Number(id),
  id_str: id,
  date_happened: Date.parse(at) / 1000,
  source_type_name: source,
  title,
  tags,
  url: `/event/event?id=${id}`,
});
const EVENTS = {
  status: 'ok',
  events: [
    // The push that broke the home page: ten minutes before detection, on the affected service.
    event('700001', '2019-06-28T17:16:00Z', 'Deployed web: header href change', ['service:web', 'env:prod']),
    // A deployment of a service the incident did not touch.
    event('700002', '2019-06-28T17:20:00Z', 'Deployed billing 3.2', ['service:billing', 'env:prod']),
    // A deployment of the affected service, but three hours before.
    event('700003', '2019-06-28T14:26:00Z', 'Deployed web: footer copy', ['service:web', 'env:prod']),
  ],
};

/** A receiver for ops' webhook target: the notifications Hindsight sends. */
async function startReceiver() {
  const bodies: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let standIn: DatadogStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let pipeline: Pipeline;
beforeAll(async () => {
  standIn = await startDatadogStandIn();
  receiver = await startReceiver();
  pipeline = await startPipeline({
    env: {
      DD_API_KEY: standIn.apiKey,
      DD_APP_KEY: standIn.appKey,
      DD_API_URL: standIn.url,
      DD_EXPORT_NOTEBOOKS: 'true',
      DISPLAY_TIMEZONE: 'Africa/Lagos',
      NOTIFY_WEBHOOK_URLS: receiver.url,
      WORKER_LOCK_MS: '10000',
    },
  });
});
afterAll(async () => {
  await pipeline.close();
  await standIn.close();
  await receiver.close();
});
beforeEach(() => standIn.reset());

async function homePage(transition: string, scope: string, at: number, monitorId = String(MONITOR_ID)) {
  const res = await pipeline.postDatadog(
    datadogPayload({
      transition,
      monitorId,
      scope,
      at: new Date(at).toISOString(),
      title: 'Home page 404s',
      tags: `service:web,env:prod,${scope}`,
      priority: 'P1',
    }),
  );
  expect(res.status).toBe(202);
}

async function incidentIdOf(monitorId: number): Promise<string> {
  const doc = await pipeline.mongo
    .collection('incidents')
    .findOne({ groupKey: `datadog:monitor:${monitorId}` }, { sort: { _id: -1 } });
  return String(doc!._id);
}

const drafted = () =>
  receiver.bodies.filter((b) => b.event === 'postmortem.drafted') as {
    text: string;
    enrichmentPending?: string[];
  }[];
const callsTo = (route: string) => standIn.requests.filter((r) => r.route === route);

describe('Datadog enrichment when the reference incident resolves', () => {
  let incidentId: string;

  test('when it resolves, then the draft shows the query, the peak, the crossings, the graph and only the change of the affected service inside the window', async () => {
    standIn.script('monitor', { body: MONITOR });
    standIn.script('query', { body: SERIES });
    standIn.script('events', { body: EVENTS });
    await homePage('Triggered', 'url:/', DETECTED);
    await homePage('Recovered', 'url:/', RESOLVED);
    await pipeline.drain(30_000);
    incidentId = await incidentIdOf(MONITOR_ID);

    // One call each: the monitor, the metric over the incident with its margin, the graph, the events.
    expect(callsTo('monitor').map((r) => r.path)).toEqual([`/api/v1/monitor/${MONITOR_ID}`]);
    const [query] = callsTo('query');
    expect(callsTo('query')).toHaveLength(1);
    // 92 min: a margin of 46 min either side.
    expect(query!.query).toEqual({
      query: QUERY,
      from: String((DETECTED - 46 * MINUTE) / 1000),
      to: String((RESOLVED + 46 * MINUTE) / 1000),
    });
    const [snapshot] = callsTo('snapshot');
    expect(callsTo('snapshot')).toHaveLength(1);
    expect(snapshot!.query).toMatchObject({
      metric_query: QUERY,
      start: query!.query.from,
      end: query!.query.to,
      title: 'Home page 404s: detected 18:26, resolved 19:58 GMT+1',
    });
    expect(callsTo('events').map((r) => r.query)).toEqual([
      { start: String((DETECTED - 60 * MINUTE) / 1000), end: String(DETECTED / 1000), tags: 'service:web' },
    ]);
    expect(standIn.requests).toHaveLength(4);

    const markdown = (await pipeline.api(`/api/incidents/${incidentId}/postmortem.md`)).text;
    expect(markdown).toContain(
      `- Detection: Datadog monitor “Home page 404s”, \`${MONITOR.query}\`, warning 50, critical 100`,
    );
    expect(markdown).toContain(
      '### The metric\n\nPeak 420 at 18:31 GMT+1 on url:/ (threshold 100); first above it at 18:23, back below at 19:57. ' +
        `[Graph](${DATADOG_PAYLOADS.snapshot.snapshot_url}).`,
    );
    expect(markdown).toContain(
      '### Changes shortly before\n\n' +
        '- 18:16 GMT+1: [Deployed web: header href change](https://app.datadoghq.com/event/event?id=700001) (github)\n\n' +
        '_Did one of these cause it?_',
    );
    // In the timeline, by time (dated: the replayed alerts arrive years after their monitor time).
    expect(markdown).toMatch(
      /- (2019-06-28 )?18:16 GMT\+1: Change \(source control, github\): Deployed web: header href change\n- (2019-06-28 )?18:26 GMT\+1: Alert triggered/,
    );
    expect(markdown).not.toContain('billing');
    expect(markdown).not.toContain('footer copy');
    // Under Root cause, after what people write; the metric leads the Impact section.
    expect(markdown.indexOf('### Process factors')).toBeLessThan(
      markdown.indexOf('### Changes shortly before'),
    );
    expect(markdown.indexOf('### Changes shortly before')).toBeLessThan(markdown.indexOf('## Impact'));
    expect(markdown.indexOf('## Impact')).toBeLessThan(markdown.indexOf('### The metric'));
    expect(markdown.indexOf('### The metric')).toBeLessThan(markdown.indexOf('### Users'));

    // The points a page draws, with the postmortem; the incident names what was added.
    const postmortem = (await pipeline.api(`/api/incidents/${incidentId}/postmortem`)).body;
    expect(postmortem.facts.metrics).toHaveLength(1);
    expect(postmortem.facts.metrics[0]).toMatchObject({
      query: QUERY,
      threshold: 100,
      comparator: '>',
      figures: { worst: { value: 420, at: '2019-06-28T17:31:00.000Z' } },
    });
    expect(postmortem.facts.metrics[0].series[0].points).toHaveLength(151);
    expect(postmortem.facts.changes).toMatchObject([{ id: '700001' }]);
    expect(postmortem.facts.changes).toHaveLength(1);
    const incident = (await pipeline.api(`/api/incidents/${incidentId}`)).body;
    expect(incident.datadog.changes.events).toMatchObject([{ title: 'Deployed web: header href change' }]);
    expect(incident.datadog.changes.events).toHaveLength(1);
    expect(incident.datadog.problems).toEqual([]);

    // The draft was handed to ops before Datadog answered, saying so; it is not sent again when enriched.
    expect(drafted()).toHaveLength(1);
    expect(drafted()[0]!.text).toContain('Datadog enrichment is still pending (');
    // (The monitor too when the recovery came before it was described, or the metric when it was.)
    expect(drafted()[0]!.enrichmentPending).toContain('the changes shortly before');
  }, 60_000);

  test('when its postmortem is published, then a Datadog notebook of type postmortem is created once and linked', async () => {
    const api = (method: 'patch' | 'post', path: string) =>
      request(pipeline.app)[method](path).set('Authorization', `Bearer ${API_TOKEN}`);
    const current = (await pipeline.api(`/api/incidents/${incidentId}/postmortem`)).body;
    const written = await api('patch', `/api/incidents/${incidentId}/postmortem`).send({
      version: current.version,
      sections: { rootCause: { technical: 'The 18:16 push set the base href to localhost.' } },
    });
    expect(written.status).toBe(200);
    const item = await api('post', `/api/incidents/${incidentId}/postmortem/action-items`).send({
      task: 'Test header changes before release',
      owner: 'alice',
      deadline: '2019-07-05',
    });
    expect(item.status).toBe(201);
    const published = await api('post', `/api/incidents/${incidentId}/postmortem/publish`).send({
      version: written.body.version,
    });
    expect(published.status).toBe(200);
    await pipeline.drain(30_000);

    const notebooks = callsTo('notebooks');
    expect(notebooks).toHaveLength(1);
    const body = JSON.parse(notebooks[0]!.body) as {
      data: { attributes: { cells: { attributes: { definition: { type: string; text?: string } } }[] } };
    };
    expect(body.data.attributes).toMatchObject({
      name: 'Postmortem: Home page 404s',
      metadata: { type: 'postmortem' },
    });
    const cells = body.data.attributes.cells.map((c) => c.attributes.definition);
    expect(cells[0]).toMatchObject({ type: 'markdown' });
    expect(cells[0]?.text).toContain('The 18:16 push set the base href to localhost.');
    expect(cells[1]).toMatchObject({ type: 'timeseries', requests: [{ q: QUERY }] });
    const after = (await pipeline.api(`/api/incidents/${incidentId}/postmortem`)).body;
    expect(after.datadogNotebook).toMatchObject({
      url: `https://app.datadoghq.com/notebook/${DATADOG_PAYLOADS.notebook.data.id}`,
    });
  }, 60_000);

  test('when Datadog is down as the incident resolves, then the incident and its draft come as without enrichment, and the metric and changes land once it answers', async () => {
    const monitorId = 5678;
    standIn.script('monitor', { body: { ...MONITOR, id: monitorId } });
    await homePage('Triggered', 'url:/', DETECTED, String(monitorId));
    await pipeline.drain(30_000);
    standIn.script('query', { status: 503, body: { errors: ['Service Unavailable'] } }, { body: SERIES });
    standIn.script('events', { status: 503, body: { errors: ['Service Unavailable'] } }, { body: EVENTS });
    await homePage('Recovered', 'url:/', RESOLVED, String(monitorId));
    let id = '';
    for (let i = 0; i < 200; i += 1) {
      id = await incidentIdOf(monitorId);
      if ((await pipeline.mongo.collection('postmortems').countDocuments({ _id: id as never })) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const early = (await pipeline.api(`/api/incidents/${id}/postmortem.md`)).text;
    expect(early).toContain('## Root cause');
    expect(early).not.toContain('### The metric');
    expect(early).not.toContain('### Changes shortly before');

    await pipeline.drain(60_000);
    const late = (await pipeline.api(`/api/incidents/${id}/postmortem.md`)).text;
    expect(late).toContain('Peak 420 at 18:31 GMT+1 on url:/ (threshold 100)');
    expect(late).toContain('[Deployed web: header href change]');
    expect(callsTo('query')).toHaveLength(2);
    expect(callsTo('events')).toHaveLength(2);
    expect((await pipeline.api(`/api/incidents/${id}`)).body.datadog.problems).toEqual([]);
  }, 90_000);

  test('when the run is over, then neither key appears in any log line', () => {
    const log = pipeline.logLines.join('');
    expect(log).toContain('enrichment done');
    expect(log).not.toContain(standIn.apiKey);
    expect(log).not.toContain(standIn.appKey);
  });
});
