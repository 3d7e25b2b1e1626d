/**
 * The Datadog port over @datadog/datadog-api-client's v1 classes. createDatadogApi() loads nothing; a call's
 * first use loads datadog-api-client-common and that call's one v1 API module (which brings the v1 model
 * serializer), never the package root nor v2. The API process, which makes no call, loads none of it.
 *
 * Every request goes through boundedFetch(): one timeout for the whole answer, no redirect followed, at most
 * maxResponseBytes read, and anything but a 2xx JSON object turned into a DatadogFailure before the client
 * parses it. The client's own retries are off (the job retries) and its console logger is silenced (the job
 * logs the DatadogApiError). Errors keep a kind and a short fixed detail: never a key, a URL or a body, which
 * the client's own errors quote.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Configuration } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/configuration.js';
import type { NotebookCreateRequest } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/models/NotebookCreateRequest.js';
import { describeNetworkError, type Fetch } from '../clients/bounded-fetch';
import {
  DATADOG_PERMISSIONS,
  DatadogApiError,
  type DatadogApi,
  type DatadogCall,
  type DatadogFailure,
  type DatadogSettings,
} from './datadog.port';

/** Without X-RateLimit-Reset (or -Period), wait this long; never longer than the cap, never under a second. */
export const RATE_LIMIT_DEFAULT_MS = 60_000;
export const RATE_LIMIT_MAX_MS = 3_600_000;

export interface DatadogClientOptions {
  /** The fetch under the bounds (a test's, to see the URL without leaving the machine); the global one by default. */
  fetch?: Fetch;
}

export function createDatadogApi(settings: DatadogSettings, options: DatadogClientOptions = {}): DatadogApi {
  const configure = once(() => loadConfiguration(settings, boundedFetch(settings, options.fetch ?? fetch)));
  const monitors = once(async () => new (await V1.monitors()).MonitorsApi(await configure()));
  const metrics = once(async () => new (await V1.metrics()).MetricsApi(await configure()));
  const events = once(async () => new (await V1.events()).EventsApi(await configure()));
  const snapshots = once(async () => new (await V1.snapshots()).SnapshotsApi(await configure()));
  const notebooks = once(async () => new (await V1.notebooks()).NotebooksApi(await configure()));
  return {
    getMonitor: (monitorId) =>
      call('getMonitor', monitors, (api) => api.getMonitor({ monitorId, withDowntimes: true })),
    queryMetrics: (query, from, to) =>
      call('queryMetrics', metrics, (api) => api.queryMetrics({ query, from, to })),
    listEvents: ({ startSeconds, endSeconds, tags }) =>
      call('listEvents', events, (api) => api.listEvents({ start: startSeconds, end: endSeconds, tags })),
    getGraphSnapshot: ({ metricQuery, startSeconds, endSeconds, title, eventQuery }) =>
      call('getGraphSnapshot', snapshots, (api) =>
        api.getGraphSnapshot({ metricQuery, start: startSeconds, end: endSeconds, title, eventQuery }),
      ),
    createNotebook: (body) =>
      call('createNotebook', notebooks, (api) => api.createNotebook({ body: body as NotebookCreateRequest })),
  };
}

/** The one v1 module each call needs: with common's three below, all this file ever loads of the package. */
const V1 = {
  monitors: () =>
    import('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/MonitorsApi.js'),
  metrics: () => import('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/MetricsApi.js'),
  events: () => import('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/EventsApi.js'),
  snapshots: () =>
    import('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/SnapshotsApi.js'),
  notebooks: () =>
    import('@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/NotebooksApi.js'),
};

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

async function loadConfiguration(settings: DatadogSettings, fetchAnswer: Fetch): Promise<Configuration> {
  const [{ createConfiguration }, { BaseServerConfiguration }, sdkLog] = await Promise.all([
    import('@datadog/datadog-api-client/dist/packages/datadog-api-client-common/configuration.js'),
    import('@datadog/datadog-api-client/dist/packages/datadog-api-client-common/servers.js'),
    import('@datadog/datadog-api-client/dist/logger.js'),
  ]);
  (sdkLog.logger as { setLevel(level: 'silent', persist: boolean): void }).setLevel('silent', false);
  const configuration = createConfiguration({
    authMethods: { apiKeyAuth: settings.apiKey, appKeyAuth: settings.appKey },
    baseServer:
      settings.apiUrl === null
        ? undefined
        : new BaseServerConfiguration(settings.apiUrl.replace(/\/+$/, ''), {}),
    enableRetry: false,
    fetch: fetchAnswer,
  });
  // After createConfiguration, which applies process.env.DD_SITE if set: the validated setting wins.
  if (settings.apiUrl === null) configuration.setServerVariables({ site: settings.site });
  return configuration;
}

/** Whether this call's request went out: a client error before it is about the request, after it the answer. */
const calls = new AsyncLocalStorage<{ sent: boolean }>();

async function call<Api>(
  name: DatadogCall,
  api: () => Promise<Api>,
  send: (api: Api) => Promise<unknown>,
): Promise<unknown> {
  const client = await api(); // a failure to load the client is no Datadog failure: it stays as it is
  const state = { sent: false };
  try {
    return await calls.run(state, () => send(client));
  } catch (error) {
    if (error instanceof Refusal) {
      const { failure } = error;
      throw new DatadogApiError(
        name,
        failure.kind === 'forbidden' ? { kind: 'forbidden', permission: DATADOG_PERMISSIONS[name] } : failure,
      );
    }
    const detail = state.sent
      ? "answer does not fit the client's model"
      : 'request refused by the client before sending';
    throw new DatadogApiError(name, { kind: 'invalid', detail });
  }
}

/** A failure boundedFetch decided; the call it belongs to names the permission. */
type RefusedAnswer = Exclude<DatadogFailure, { kind: 'forbidden' }> | { kind: 'forbidden' };

class Refusal extends Error {
  constructor(readonly failure: RefusedAnswer) {
    super(failure.kind);
    this.name = 'DatadogRefusal';
  }
}

/** The fetch the client is given: it hands the client only a 2xx JSON object, re-wrapped, and throws the rest. */
function boundedFetch(settings: DatadogSettings, baseFetch: Fetch): Fetch {
  const { timeoutMs, maxResponseBytes } = settings;
  return async (url, init) => {
    const state = calls.getStore();
    if (state) state.sent = true;
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await baseFetch(url, { ...init, redirect: 'manual', signal });
    } catch (error) {
      throw new Refusal({ kind: 'unavailable', detail: describeNetworkError(error, timeoutMs) });
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      throw new Refusal(refusalOf(response));
    }
    const text = await readJsonObject(response, maxResponseBytes, timeoutMs);
    return new Response(text, { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}

function refusalOf(response: Response): RefusedAnswer {
  const { status } = response;
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(response.headers) };
  if (status === 401 || status === 403) return { kind: 'forbidden' };
  if (status === 404) return { kind: 'not_found' };
  if (status === 408 || status >= 500) return { kind: 'unavailable', detail: `HTTP ${status}` };
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    return { kind: 'invalid', detail: `redirected (HTTP ${status}); redirects are not followed` };
  }
  return { kind: 'invalid', detail: `refused with HTTP ${status}` };
}

/** X-RateLimit-Reset is the seconds until the limit resets (Datadog's rate-limit docs); -Period, its window. */
function retryAfterMs(headers: Headers): number {
  const seconds =
    wholeSeconds(headers.get('x-ratelimit-reset')) ?? wholeSeconds(headers.get('x-ratelimit-period'));
  if (seconds === null) return RATE_LIMIT_DEFAULT_MS;
  return Math.min(Math.max(seconds * 1000, 1000), RATE_LIMIT_MAX_MS);
}

function wholeSeconds(value: string | null): number | null {
  return value !== null && /^\s*\d{1,9}(\.\d+)?\s*$/.test(value) ? Math.ceil(Number(value)) : null;
}

/** The body, read within the call's timeout and up to maxBytes, if it is UTF-8 JSON with an object at its top. */
async function readJsonObject(response: Response, maxBytes: number, timeoutMs: number): Promise<string> {
  const tooLarge = new Refusal({ kind: 'invalid', detail: `answer larger than ${maxBytes} bytes` });
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge; // leaving the loop cancels the rest
      chunks.push(chunk);
    }
  } catch (error) {
    throw error === tooLarge
      ? tooLarge
      : new Refusal({ kind: 'unavailable', detail: describeNetworkError(error, timeoutMs) });
  }
  let parsed: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    parsed = JSON.parse(text);
  } catch {
    throw new Refusal({ kind: 'invalid', detail: 'answer is not JSON' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Refusal({ kind: 'invalid', detail: 'answer is not a JSON object' });
  }
  return text;
}
