/**
 * The Datadog client (src/enrichment/datadog.client.ts) against a real HTTP server standing in for Datadog,
 * reached through DD_API_URL (test/helpers/datadog-stand-in.ts): no mock of the client library. The models it
 * returns, how each failure maps, the bounds (time, size, redirects), the URL DD_SITE makes, and what of the
 * package a process loads, and when. Needs neither Redis nor MongoDB.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { inspect, promisify } from 'node:util';
import { DATADOG_SITES } from '../../config';
import {
  createDatadogApi,
  RATE_LIMIT_DEFAULT_MS,
  RATE_LIMIT_MAX_MS,
} from '../../src/enrichment/datadog.client';
import {
  DatadogApiError,
  type DatadogApi,
  type DatadogCall,
  type DatadogFailure,
} from '../../src/enrichment/datadog.port';
import {
  DATADOG_PAYLOADS,
  standInSettings,
  startDatadogStandIn,
  type DatadogRoute,
  type DatadogStandIn,
} from '../helpers/datadog-stand-in';
import { freePort } from '../helpers/servers';

const QUERY = 'sum:trace.http.request.errors{service:web} by {resource_name}';
const FROM = 1718000000;
const TO = 1718003600;
const WINDOW = { startSeconds: FROM, endSeconds: TO };
/** A NotebookCreateRequest as the client takes it: camelCase, the client writes Datadog's snake_case. */
const NOTEBOOK = {
  data: {
    type: 'notebooks',
    attributes: {
      name: 'Postmortem: Web errors by resource',
      status: 'published',
      time: { liveSpan: '1h' },
      cells: [
        { type: 'notebook_cells', attributes: { definition: { type: 'markdown', text: '## Timeline' } } },
      ],
    },
  },
};

/** Each call with plausible arguments, the stand-in's route for it, and the permission a 403 must name. */
const CALLS: readonly {
  call: DatadogCall;
  route: DatadogRoute;
  permission: string;
  make: (api: DatadogApi) => Promise<unknown>;
}[] = [
  {
    call: 'getMonitor',
    route: 'monitor',
    permission: 'monitors_read',
    make: (api) => api.getMonitor(12345678),
  },
  {
    call: 'queryMetrics',
    route: 'query',
    permission: 'timeseries_query',
    make: (api) => api.queryMetrics(QUERY, FROM, TO),
  },
  {
    call: 'listEvents',
    route: 'events',
    permission: 'events_read',
    make: (api) => api.listEvents({ startSeconds: FROM, endSeconds: TO, tags: 'service:web,env:prod' }),
  },
  {
    call: 'getGraphSnapshot',
    route: 'snapshot',
    permission: 'timeseries_query',
    make: (api) =>
      api.getGraphSnapshot({ metricQuery: QUERY, startSeconds: FROM, endSeconds: TO, title: 'Web errors' }),
  },
  {
    call: 'createNotebook',
    route: 'notebooks',
    permission: 'notebooks_write',
    make: (api) => api.createNotebook(NOTEBOOK),
  },
];

let standIn: DatadogStandIn;
beforeAll(async () => {
  standIn = await startDatadogStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

/** The DatadogApiError `promise` ends in; neither it nor anything a logger prints of it holds a key or an address. */
async function failureOf(promise: Promise<unknown>, ...alsoAbsent: string[]): Promise<DatadogApiError> {
  const error: unknown = await promise.then(
    () => new Error('the call succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatadogApiError);
  const printed = `${inspect(error, { depth: null })} ${JSON.stringify(error)} ${(error as Error).stack}`;
  for (const secret of [standIn.apiKey, standIn.appKey, standIn.url, '127.0.0.1', ...alsoAbsent]) {
    expect(printed).not.toContain(secret);
  }
  return error as DatadogApiError;
}

async function expectFailure(promise: Promise<unknown>, call: DatadogCall, failure: DatadogFailure) {
  const error = await failureOf(promise);
  expect({ call: error.call, failure: error.failure }).toEqual({ call, failure });
  return error;
}

const api = (overrides: Parameters<typeof standInSettings>[1] = {}) =>
  createDatadogApi(standInSettings(standIn, overrides));

describe('when Datadog answers as its API reference shows', () => {
  test('then getMonitor asks with downtimes and returns the Monitor model', async () => {
    const monitor = await api().getMonitor(12345678);

    expect(monitor).toMatchObject({
      id: 12345678,
      type: 'query alert',
      query: DATADOG_PAYLOADS.monitor.query,
      tags: ['service:web', 'team:payments', 'env:prod'],
      priority: 2,
      overallState: 'Alert',
      options: { thresholds: { critical: 5, warning: 3 }, notifyNoData: false, newGroupDelay: 60 },
      matchingDowntimes: [{ id: 2345678901, start: 1717999200, end: 1718006400, scope: ['env:prod'] }],
      created: expect.any(Date) as unknown,
    });
    expect(standIn.requests).toMatchObject([
      { method: 'GET', path: '/api/v1/monitor/12345678', query: { with_downtimes: 'true' } },
    ]);
  });

  test('then queryMetrics sends from, to and query and returns the series with their pointlists', async () => {
    const answer = await api().queryMetrics(QUERY, FROM, TO);

    expect(answer).toMatchObject({
      status: 'ok',
      resType: 'time_series',
      fromDate: 1718000000000,
      series: [
        {
          metric: 'trace.http.request.errors',
          tagSet: ['resource_name:get_/api/orders'],
          pointlist: [
            [1718000000000, 1],
            [1718000020000, 4],
            [1718000040000, 7],
            [1718000060000, 9],
          ],
        },
      ],
    });
    expect(standIn.requests).toMatchObject([
      { method: 'GET', path: '/api/v1/query', query: { from: String(FROM), to: String(TO), query: QUERY } },
    ]);
  });

  test('then listEvents sends the window and the tags and returns the events', async () => {
    const answer = await api().listEvents({ startSeconds: FROM, endSeconds: TO, tags: 'service:web' });

    expect(answer).toMatchObject({
      events: [
        {
          idStr: '7812345678901234567',
          dateHappened: 1717999860,
          sourceTypeName: 'deployment',
          alertType: 'info',
        },
        {
          idStr: '7812345678901299999',
          alertType: 'error',
          tags: expect.arrayContaining(['monitor']) as unknown,
        },
      ],
    });
    expect(standIn.requests).toMatchObject([
      {
        method: 'GET',
        path: '/api/v1/events',
        query: { start: String(FROM), end: String(TO), tags: 'service:web' },
      },
    ]);
  });

  test('then getGraphSnapshot sends the metric query and the window and returns the snapshot URL', async () => {
    const answer = await api().getGraphSnapshot({ metricQuery: QUERY, startSeconds: FROM, endSeconds: TO });

    expect(answer).toMatchObject({ snapshotUrl: DATADOG_PAYLOADS.snapshot.snapshot_url, metricQuery: QUERY });
    expect(standIn.requests).toMatchObject([
      {
        method: 'GET',
        path: '/api/v1/graph/snapshot',
        query: { metric_query: QUERY, start: String(FROM), end: String(TO) },
      },
    ]);
  });

  test('then createNotebook posts the body in snake_case and returns the notebook with its id', async () => {
    const answer = await api().createNotebook(NOTEBOOK);

    expect(answer).toMatchObject({
      data: { id: 9876543, type: 'notebooks', attributes: { name: 'Postmortem: Web errors by resource' } },
    });
    const [request] = standIn.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/notebooks' });
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      data: {
        attributes: {
          time: { live_span: '1h' },
          cells: [{ attributes: { definition: { type: 'markdown' } } }],
        },
      },
    });
  });

  test('then the keys travel as DD-API-KEY and DD-APPLICATION-KEY headers, and in nothing else', async () => {
    const client = api();
    for (const { make } of CALLS) await make(client);

    expect(standIn.requests).toHaveLength(CALLS.length);
    for (const request of standIn.requests) {
      expect(request).toMatchObject({ apiKey: standIn.apiKey, appKey: standIn.appKey });
      const rest = JSON.stringify([request.path, request.query, request.body]);
      expect(rest).not.toContain(standIn.apiKey);
      expect(rest).not.toContain(standIn.appKey);
    }
  });
});

describe('when Datadog refuses', () => {
  test.each<{ headers: Record<string, string>; retryAfterMs: number }>([
    { headers: { 'X-RateLimit-Reset': '17', 'X-RateLimit-Period': '60' }, retryAfterMs: 17_000 },
    { headers: { 'X-RateLimit-Reset': '0', 'X-RateLimit-Period': '10' }, retryAfterMs: 1_000 },
    { headers: { 'X-RateLimit-Reset': 'soon', 'X-RateLimit-Period': '10' }, retryAfterMs: 10_000 },
    { headers: { 'X-RateLimit-Reset': '86400' }, retryAfterMs: RATE_LIMIT_MAX_MS },
    { headers: {}, retryAfterMs: RATE_LIMIT_DEFAULT_MS },
  ])(
    'a 429 with $headers, then rate_limited for $retryAfterMs ms, and no retry',
    async ({ headers, retryAfterMs }) => {
      standIn.script('monitor', {
        status: 429,
        headers: { 'X-RateLimit-Limit': '3000', 'X-RateLimit-Remaining': '0', ...headers },
        body: { errors: ['Rate limit of 3000 requests in 60 seconds reached. Please try again later.'] },
      });

      await expectFailure(api().getMonitor(12345678), 'getMonitor', { kind: 'rate_limited', retryAfterMs });
      expect(standIn.requests).toHaveLength(1);
    },
  );

  test.each(CALLS)(
    'a 403 to $call, then forbidden, naming $permission',
    async ({ call, route, permission, make }) => {
      standIn.script(route, { status: 403, body: { errors: ['Forbidden'] } });

      const error = await expectFailure(make(api()), call, {
        kind: 'forbidden',
        permission,
      } as DatadogFailure);
      expect(error.message).toContain(permission);
    },
  );

  test('a 401, or keys Datadog does not know, then forbidden too', async () => {
    standIn.script('monitor', { status: 401, body: { errors: ['Unauthorized'] } });
    await expectFailure(api().getMonitor(1), 'getMonitor', {
      kind: 'forbidden',
      permission: 'monitors_read',
    });

    const wrongAppKey = 'f'.repeat(40);
    const error = await failureOf(api({ appKey: wrongAppKey }).listEvents(WINDOW), wrongAppKey);
    expect(error.failure).toEqual({ kind: 'forbidden', permission: 'events_read' });
    expect(standIn.requests.at(-1)?.appKey).toBe(wrongAppKey);
  });

  test('a 404, then not_found', async () => {
    standIn.script('monitor', { status: 404, body: { errors: ['Monitor not found'] } });
    await expectFailure(api().getMonitor(404404), 'getMonitor', { kind: 'not_found' });
  });

  test.each([500, 502, 503])('a %i, then unavailable, and no retry', async (status) => {
    standIn.script('query', { status, body: '<html><body>upstream-secret-page</body></html>' });

    const error = await failureOf(api().queryMetrics(QUERY, FROM, TO), 'upstream-secret-page');
    expect(error.failure).toEqual({ kind: 'unavailable', detail: `HTTP ${status}` });
    expect(standIn.requests).toHaveLength(1);
  });

  test('a 400, then invalid: the request will not improve by retrying', async () => {
    standIn.script('query', {
      status: 400,
      body: { errors: ['Error parsing query: unable to parse sum:{'] },
    });

    const error = await failureOf(api().queryMetrics('sum:{', FROM, TO), 'unable to parse');
    expect(error.failure).toEqual({ kind: 'invalid', detail: 'refused with HTTP 400' });
  });
});

describe('when the answer is slow, broken, too large or elsewhere', () => {
  test('an answer slower than timeoutMs, then unavailable: timed out', async () => {
    standIn.script('monitor', { delayMs: 2_000 });
    const started = Date.now();

    await expectFailure(api({ timeoutMs: 200 }).getMonitor(1), 'getMonitor', {
      kind: 'unavailable',
      detail: 'timed out after 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('a body that stalls halfway past timeoutMs, then unavailable: timed out (the timeout covers the body)', async () => {
    standIn.script('events', { stallMs: 2_000 });

    const failure = { kind: 'unavailable', detail: 'timed out after 300 ms' } as const;
    await expectFailure(api({ timeoutMs: 300 }).listEvents(WINDOW), 'listEvents', failure);
  });

  test('nothing listening, then unavailable: the network error code alone', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;

    const error = await failureOf(api({ apiUrl: closed }).getMonitor(1), closed);
    expect(error.failure).toEqual({ kind: 'unavailable', detail: 'network error: ECONNREFUSED' });
  });

  test.each([
    {
      what: 'truncated JSON',
      body: '{"id": 12345678, "query": "avg(last_5m):sum:trace.http',
      detail: 'answer is not JSON',
    },
    { what: 'an HTML page', body: '<html>proxy-login-page</html>', detail: 'answer is not JSON' },
    {
      what: 'bytes that are not UTF-8',
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      detail: 'answer is not JSON',
    },
    { what: 'a JSON array', body: '[{"id": 1}]', detail: 'answer is not a JSON object' },
    {
      what: 'a monitor without its query and type',
      body: { id: 1, name: 'partial-monitor-body' },
      detail: "answer does not fit the client's model",
    },
    {
      what: 'a field of the wrong type',
      body: { ...DATADOG_PAYLOADS.monitor, tags: 'not-a-list-marker' },
      detail: "answer does not fit the client's model",
    },
  ])('$what with a 200, then invalid: $detail', async ({ body, detail }) => {
    standIn.script('monitor', { body });

    const markers = ['proxy-login-page', 'partial-monitor-body', 'not-a-list-marker', 'trace.http'];
    const error = await failureOf(api().getMonitor(1), ...markers);
    expect(error.failure).toEqual({ kind: 'invalid', detail });
  });

  test.each([{ chunked: false }, { chunked: true }])(
    'an answer over maxResponseBytes (chunked: $chunked), then invalid: too large',
    async ({ chunked }) => {
      const events = Array.from({ length: 200 }, (_, i) => ({
        ...DATADOG_PAYLOADS.events.events[0],
        id_str: String(i),
      }));
      standIn.script('events', { chunked, body: { status: 'ok', events } });

      const failure = { kind: 'invalid', detail: 'answer larger than 4096 bytes' } as const;
      await expectFailure(api({ maxResponseBytes: 4096 }).listEvents(WINDOW), 'listEvents', failure);
    },
  );

  test('a redirect, then invalid, and the new address is not asked', async () => {
    standIn.script('monitor', {
      status: 302,
      headers: { Location: `${standIn.url}/api/v1/monitor/2` },
      body: '',
    });

    const error = await failureOf(api().getMonitor(1));
    expect(error.failure).toEqual({
      kind: 'invalid',
      detail: 'redirected (HTTP 302); redirects are not followed',
    });
    expect(standIn.requests.map((r) => r.path)).toEqual(['/api/v1/monitor/1']);
  });

  test('a notebook body the client cannot write, then invalid, and nothing is sent', async () => {
    const error = await failureOf(
      api().createNotebook({ data: { type: 'notebooks', attributes: { name: 'x' } } }),
    );

    expect(error.failure).toEqual({
      kind: 'invalid',
      detail: 'request refused by the client before sending',
    });
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('when DD_API_URL is not set', () => {
  /** A fetch that records what it was asked and refuses, as DNS would: nothing leaves the machine. */
  function refusingFetch() {
    const asked: { url: string; headers: Headers }[] = [];
    const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      asked.push({ url, headers: new Headers(init?.headers) });
      const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND ${new URL(url).host}`), {
        code: 'ENOTFOUND',
      });
      return Promise.reject(new TypeError('fetch failed', { cause }));
    };
    return { asked, fetch };
  }

  test.each(DATADOG_SITES)('DD_SITE %s, then the call goes to https://api.<site>', async (site) => {
    const { asked, fetch } = refusingFetch();
    const client = createDatadogApi(standInSettings(standIn, { site, apiUrl: null }), { fetch });

    const error = await failureOf(client.getMonitor(42), `api.${site}`);
    expect(error.failure).toEqual({ kind: 'unavailable', detail: 'network error: ENOTFOUND' });
    expect(asked.map((a) => a.url)).toEqual([`https://api.${site}/api/v1/monitor/42?with_downtimes=true`]);
  });

  test("the client library's own environment variables (DD_SITE, DD_API_KEY) do not override the settings", async () => {
    const saved = { site: process.env.DD_SITE, key: process.env.DD_API_KEY };
    process.env.DD_SITE = 'datadoghq.eu';
    process.env.DD_API_KEY = 'key-from-the-environment';
    try {
      const { asked, fetch } = refusingFetch();
      await failureOf(
        createDatadogApi(standInSettings(standIn, { site: 'us5.datadoghq.com', apiUrl: null }), {
          fetch,
        }).getMonitor(7),
      );

      expect(asked[0]?.url).toBe('https://api.us5.datadoghq.com/api/v1/monitor/7?with_downtimes=true');
      expect(asked[0]?.headers.get('DD-API-KEY')).toBe(standIn.apiKey);
    } finally {
      for (const [name, value] of [
        ['DD_SITE', saved.site],
        ['DD_API_KEY', saved.key],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test('a DD_API_URL with a path (a proxy), then /api/v1/... goes after that path', async () => {
    const { asked, fetch } = refusingFetch();
    const client = createDatadogApi(
      standInSettings(standIn, { apiUrl: 'https://dd-proxy.internal:8443/datadog/' }),
      { fetch },
    );

    await failureOf(client.queryMetrics(QUERY, FROM, TO), 'dd-proxy.internal');
    expect(asked[0]?.url).toMatch(/^https:\/\/dd-proxy\.internal:8443\/datadog\/api\/v1\/query\?/);
  });
});

describe('what a process loads of @datadog/datadog-api-client', () => {
  const ROOT = path.resolve(__dirname, '..', '..');
  /**
   * In a fresh node (tsx, as in development): the API's and the worker's modules, then a client, then a call
   * that succeeds and one that fails (which the client library would report on the console).
   */
  const PROBE = `
    const PACKAGE = '/node_modules/@datadog/datadog-api-client/';
    const loaded = () => Object.keys(require.cache).filter((f) => f.includes(PACKAGE)).map((f) => f.slice(f.indexOf(PACKAGE) + PACKAGE.length));
    require('./src/server.ts');
    require('./workers/worker.ts');
    const afterImports = loaded();
    const { createDatadogApi } = require('./src/enrichment/datadog.client.ts');
    const api = createDatadogApi(JSON.parse(process.env.DATADOG_SETTINGS));
    const afterCreate = loaded();
    (async () => {
      const { id } = await api.getMonitor(12345678);
      const failure = await api.getMonitor(12345678).catch((error) => error.failure);
      process.stdout.write(JSON.stringify({ afterImports, afterCreate, afterCall: loaded(), id, failure }));
    })();
  `;

  test('when no call is made nothing is loaded; the first getMonitor loads common and MonitorsApi alone', async () => {
    standIn.script('monitor', {}, { status: 500 });
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', PROBE], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATADOG_SETTINGS: JSON.stringify(standInSettings(standIn)),
      },
      timeout: 45_000,
    });
    const { afterImports, afterCreate, afterCall, id, failure } = JSON.parse(stdout) as {
      afterImports: string[];
      afterCreate: string[];
      afterCall: string[];
      id: number;
      failure: unknown;
    };

    expect(stderr).toBe(''); // the client library's console logger is silenced
    expect(failure).toEqual({ kind: 'unavailable', detail: 'HTTP 500' });
    expect(id).toBe(12345678);
    expect(afterImports).toEqual([]);
    expect(afterCreate).toEqual([]);
    expect(afterCall).toEqual(
      expect.arrayContaining([
        'dist/packages/datadog-api-client-common/configuration.js',
        'dist/packages/datadog-api-client-common/servers.js',
        'dist/packages/datadog-api-client-v1/apis/MonitorsApi.js',
        'dist/packages/datadog-api-client-v1/models/Monitor.js',
      ]),
    );
    expect(afterCall.filter((f) => f.includes('/apis/'))).toEqual([
      'dist/packages/datadog-api-client-v1/apis/MonitorsApi.js',
    ]);
    expect(afterCall.filter((f) => f.includes('datadog-api-client-v2'))).toEqual([]);
    expect(afterCall).not.toContain('dist/index.js');
    expect(afterCall).not.toContain('dist/packages/datadog-api-client-v1/index.js');
    expect(afterCall).not.toContain('dist/packages/datadog-api-client-common/index.js');
  });
});
