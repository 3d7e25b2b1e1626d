/**
 * A real HTTP server on 127.0.0.1 standing in for Datadog's API (reach it through DD_API_URL, that is
 * settings.apiUrl): the five v1 endpoints Hindsight calls, answering with payloads shaped as Datadog's API
 * reference shows them (snake_case JSON). It records every request, refuses keys other than its own with
 * Datadog's 403, and lets a test script the next answers of a route: a status, headers (X-RateLimit-*), a
 * body (malformed or oversized too), a delay before answering or a stall in the middle of the body.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatadogSettings } from '../../src/enrichment/datadog.port';

/**
 * What the stand-in answers unless told otherwise, shaped as the examples of Datadog's API reference (v1):
 * one incident's worth (errors on the web service, 2024-06-10 around 06:10 UTC), for other tests to reuse.
 */
export const DATADOG_PAYLOADS = {
  /** GET /api/v1/monitor/{id}?with_downtimes=true: a metric ("query alert") monitor, one downtime matching. */
  monitor: {
    id: 12345678,
    org_id: 1000042,
    type: 'query alert',
    name: 'Web errors by resource',
    message: '{{#is_alert}}Errors on {{resource_name.name}} above {{threshold}}{{/is_alert}} @slack-ops-web',
    tags: ['service:web', 'team:payments', 'env:prod'],
    query: 'avg(last_5m):sum:trace.http.request.errors{service:web} by {resource_name} > 5',
    options: {
      thresholds: { critical: 5.0, warning: 3.0 },
      notify_audit: false,
      notify_no_data: false,
      require_full_window: false,
      include_tags: true,
      new_group_delay: 60,
      renotify_interval: 0,
      evaluation_delay: 0,
      escalation_message: '',
      silenced: {},
    },
    multi: true,
    priority: 2,
    restricted_roles: null,
    created: '2024-03-05T09:12:44.125317+00:00',
    modified: '2024-05-28T14:03:10.481926+00:00',
    deleted: null,
    creator: {
      email: 'alice.martin@example.com',
      handle: 'alice.martin@example.com',
      name: 'Alice Martin',
      id: 1234567,
    },
    overall_state: 'Alert',
    overall_state_modified: '2024-06-10T06:14:05+00:00',
    matching_downtimes: [{ id: 2345678901, start: 1717999200, end: 1718006400, scope: ['env:prod'] }],
  },
  /** GET /api/v1/query?from&to&query: one series per resource, pointlist as [epoch ms, value]. */
  query: {
    status: 'ok',
    res_type: 'time_series',
    resp_version: 1,
    query: 'sum:trace.http.request.errors{service:web} by {resource_name}',
    from_date: 1718000000000,
    to_date: 1718003600000,
    group_by: ['resource_name'],
    message: '',
    series: [
      {
        metric: 'trace.http.request.errors',
        display_name: 'trace.http.request.errors',
        aggr: 'sum',
        expression: 'sum:trace.http.request.errors{resource_name:get_/api/orders,service:web}',
        scope: 'resource_name:get_/api/orders,service:web',
        tag_set: ['resource_name:get_/api/orders'],
        query_index: 0,
        interval: 20,
        length: 4,
        start: 1718000000000,
        end: 1718000079000,
        pointlist: [
          [1718000000000, 1.0],
          [1718000020000, 4.0],
          [1718000040000, 7.0],
          [1718000060000, 9.0],
        ],
        unit: [
          { family: 'general', name: 'error', plural: 'errors', short_name: 'err', scale_factor: 1.0 },
          null,
        ],
      },
    ],
  },
  /** GET /api/v1/events?start&end&tags: a deployment just before, and the monitor's own alert. */
  events: {
    status: 'ok',
    events: [
      {
        // Event ids pass 2^53: JavaScript holds 7812345678901234567 as this, id_str keeps it exact.
        id: 7812345678901235000,
        id_str: '7812345678901234567',
        date_happened: 1717999860,
        alert_type: 'info',
        priority: 'normal',
        source_type_name: 'deployment',
        host: null,
        device_name: null,
        title: 'Deployed web v2024.06.10-3',
        text: 'Rolled out by the deploy pipeline: 3 commits, 1 migration.',
        tags: ['service:web', 'env:prod', 'version:2024.06.10-3'],
        url: '/event/event?id=7812345678901234567',
        is_aggregate: false,
        children: [],
      },
      {
        id: 7812345678901300000,
        id_str: '7812345678901299999',
        date_happened: 1718000045,
        alert_type: 'error',
        priority: 'normal',
        source_type_name: 'monitor alert',
        host: null,
        device_name: null,
        title: '[Triggered on {resource_name:get_/api/orders}] Web errors by resource',
        text: '%%%\nErrors on get_/api/orders above 5\n%%%',
        tags: ['monitor', 'service:web', 'resource_name:get_/api/orders'],
        url: '/event/event?id=7812345678901299999',
        is_aggregate: false,
        children: [],
      },
    ],
  },
  /** GET /api/v1/graph/snapshot?metric_query&start&end: where the rendered PNG will be. */
  snapshot: {
    metric_query: 'sum:trace.http.request.errors{service:web} by {resource_name}',
    graph_def: '',
    snapshot_url:
      'https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_1000042/2024-06-10/5c1f0e7a9b2d4e61.png',
  },
  /** POST /api/v1/notebooks: the notebook created, with its id. */
  notebook: {
    data: {
      id: 9876543,
      type: 'notebooks',
      attributes: {
        name: 'Postmortem: Web errors by resource',
        status: 'published',
        time: { live_span: '1h' },
        metadata: { type: 'postmortem', is_template: false, take_snapshots: false },
        created: '2024-06-10T08:30:00.000000+00:00',
        modified: '2024-06-10T08:30:00.000000+00:00',
        author: {
          handle: 'hindsight@example.com',
          name: 'Hindsight',
          email: 'hindsight@example.com',
          status: 'Active',
        },
        cells: [
          {
            id: 'k3b2x9qa',
            type: 'notebook_cells',
            attributes: { definition: { type: 'markdown', text: '## Timeline' } },
          },
        ],
      },
    },
  },
} as const;

export type DatadogRoute = 'monitor' | 'query' | 'events' | 'snapshot' | 'notebooks';

const ROUTES: readonly { route: DatadogRoute; method: string; path: RegExp }[] = [
  { route: 'monitor', method: 'GET', path: /^\/api\/v1\/monitor\/(\d+)$/ },
  { route: 'query', method: 'GET', path: /^\/api\/v1\/query$/ },
  { route: 'events', method: 'GET', path: /^\/api\/v1\/events$/ },
  { route: 'snapshot', method: 'GET', path: /^\/api\/v1\/graph\/snapshot$/ },
  { route: 'notebooks', method: 'POST', path: /^\/api\/v1\/notebooks$/ },
];

export interface ScriptedAnswer {
  /** 200 unless told. */
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as it is (malformed, oversized); anything else as JSON. The route's payload if absent. */
  body?: unknown;
  /** Waits this long before answering at all. */
  delayMs?: number;
  /** Sends the headers and the first half of the body, then waits this long before the rest. */
  stallMs?: number;
  /** Sends the body without Content-Length (chunked), so only reading tells its size. */
  chunked?: boolean;
}

export interface RecordedRequest {
  route: DatadogRoute | null;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The DD-API-KEY and DD-APPLICATION-KEY headers received. */
  apiKey: string | undefined;
  appKey: string | undefined;
  body: string;
}

export interface DatadogStandIn {
  /** The base URL, for settings.apiUrl (DD_API_URL). */
  url: string;
  /** The keys it accepts; any other gets Datadog's 403. */
  apiKey: string;
  appKey: string;
  requests: RecordedRequest[];
  /** The next answers of `route`, one request each, in order; after them the route's payload again. */
  script(route: DatadogRoute, ...answers: ScriptedAnswer[]): void;
  /** Forgets the requests and the answers not given yet. */
  reset(): void;
  close(): Promise<void>;
}

/** Settings that reach the stand-in with its keys; a test overrides what it is about (timeoutMs, site…). */
export function standInSettings(
  standIn: DatadogStandIn,
  overrides: Partial<DatadogSettings> = {},
): DatadogSettings {
  return {
    apiKey: standIn.apiKey,
    appKey: standIn.appKey,
    site: 'datadoghq.com',
    apiUrl: standIn.url,
    timeoutMs: 5_000,
    maxResponseBytes: 1_000_000,
    ...overrides,
  };
}

export async function startDatadogStandIn(): Promise<DatadogStandIn> {
  const apiKey = randomBytes(16).toString('hex'); // Datadog's API keys are 32 hex digits, its application keys 40
  const appKey = randomBytes(20).toString('hex');
  const requests: RecordedRequest[] = [];
  const scripts = new Map<DatadogRoute, ScriptedAnswer[]>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const match = ROUTES.map((r) => ({ ...r, m: r.path.exec(url.pathname) })).find(
        (r) => r.m !== null && r.method === req.method,
      );
      const recorded: RecordedRequest = {
        route: match?.route ?? null,
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        apiKey: header(req, 'dd-api-key'),
        appKey: header(req, 'dd-application-key'),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      let answer: ScriptedAnswer;
      if (!match) answer = { status: 404, body: { errors: ['Not found'] } };
      else if (recorded.apiKey !== apiKey || recorded.appKey !== appKey) {
        answer = { status: 403, body: { errors: ['Forbidden'] } };
      } else {
        const scripted = scripts.get(match.route)?.shift() ?? {};
        answer = { body: payloadOf(match.route, match.m?.[1]), ...scripted };
      }
      void send(res, answer, later);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    appKey,
    requests,
    script(route, ...answers) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...answers]);
    },
    reset() {
      requests.length = 0;
      scripts.clear();
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The route's payload; a monitor carries the id asked for. */
function payloadOf(route: DatadogRoute, monitorId: string | undefined): unknown {
  if (route === 'monitor') return { ...DATADOG_PAYLOADS.monitor, id: Number(monitorId) };
  if (route === 'query') return DATADOG_PAYLOADS.query;
  if (route === 'events') return DATADOG_PAYLOADS.events;
  if (route === 'snapshot') return DATADOG_PAYLOADS.snapshot;
  return DATADOG_PAYLOADS.notebook;
}

async function send(res: http.ServerResponse, answer: ScriptedAnswer, later: (ms: number) => Promise<void>) {
  const body =
    typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
      ? Buffer.from(answer.body)
      : Buffer.from(JSON.stringify(answer.body));
  if (answer.delayMs) await later(answer.delayMs);
  if (res.destroyed) return; // the client gave up waiting
  const chunked = answer.chunked === true || answer.stallMs !== undefined;
  res.writeHead(answer.status ?? 200, {
    'Content-Type': 'application/json',
    ...(chunked ? {} : { 'Content-Length': String(body.length) }),
    ...answer.headers,
  });
  if (answer.stallMs === undefined) {
    res.end(body);
    return;
  }
  const half = Math.floor(body.length / 2);
  res.write(body.subarray(0, half));
  await later(answer.stallMs);
  if (!res.destroyed) res.end(body.subarray(half));
}
