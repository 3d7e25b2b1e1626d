/**
 * What Hindsight asks Datadog, behind a small port: the worker's enrichment jobs call these, and only
 * src/enrichment/datadog.client.ts imports @datadog/datadog-api-client (its v1 classes, lazily, in the worker).
 * Answers are the client's deserialized models (camelCase, as its .d.ts files name them), handed on as
 * `unknown`: the domain (src/domain/enrichment*.ts) validates and bounds everything in them, as any input
 * from outside.
 */

/** The permission each call needs; a 403 names it, in the log and on the incident. */
export const DATADOG_PERMISSIONS = {
  getMonitor: 'monitors_read',
  queryMetrics: 'timeseries_query',
  listEvents: 'events_read',
  getGraphSnapshot: 'timeseries_query',
  createNotebook: 'notebooks_write',
} as const;
export type DatadogCall = keyof typeof DATADOG_PERMISSIONS;
export type DatadogPermission = (typeof DATADOG_PERMISSIONS)[DatadogCall];

export interface DatadogApi {
  /** v1.MonitorsApi.getMonitor, withDowntimes: the monitor and the downtimes matching it. */
  getMonitor(monitorId: number): Promise<unknown>;
  /** v1.MetricsApi.queryMetrics over [from, to] (epoch seconds). */
  queryMetrics(query: string, fromSeconds: number, toSeconds: number): Promise<unknown>;
  /** v1.EventsApi.listEvents over [start, end] (epoch seconds), optionally by tags (`service:web,env:prod`). */
  listEvents(query: { startSeconds: number; endSeconds: number; tags?: string }): Promise<unknown>;
  /** v1.SnapshotsApi.getGraphSnapshot: a rendered graph image of the metric query over [start, end]. */
  getGraphSnapshot(query: {
    metricQuery: string;
    startSeconds: number;
    endSeconds: number;
    title?: string;
    eventQuery?: string;
  }): Promise<unknown>;
  /** v1.NotebooksApi.createNotebook with a NotebookCreateRequest (as a plain object the client serializes). */
  createNotebook(body: unknown): Promise<unknown>;
}

/** Why a call failed, in the words a job decides on: retry when, tell whom, or give up. */
export type DatadogFailure =
  /** 429: try again after this long (from X-RateLimit-Reset, else a default). */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** 403 (or 401): the keys lack this permission; retrying changes nothing. */
  | { kind: 'forbidden'; permission: DatadogPermission }
  /** 404: the monitor (or whatever was asked for) is not there. */
  | { kind: 'not_found' }
  /** 5xx, a network error or a timeout: try again later. */
  | { kind: 'unavailable'; detail: string }
  /** An answer that is not what Datadog documents (not JSON, too large, the wrong shape): give up. */
  | { kind: 'invalid'; detail: string };

/** A failed call. Its message is short and never holds a key, a URL's query or a response body. */
export class DatadogApiError extends Error {
  constructor(
    readonly call: DatadogCall,
    readonly failure: DatadogFailure,
  ) {
    super(`Datadog ${call}: ${describeFailure(failure)}`);
    this.name = 'DatadogApiError';
  }
}

export function describeFailure(failure: DatadogFailure): string {
  switch (failure.kind) {
    case 'rate_limited':
      return `rate-limited; retry in ${Math.ceil(failure.retryAfterMs / 1000)} s`;
    case 'forbidden':
      return `forbidden: the application key lacks the ${failure.permission} permission`;
    case 'not_found':
      return 'not found';
    case 'unavailable':
    case 'invalid':
      return failure.detail;
  }
}

/** Where and how to reach Datadog: DD_API_KEY, DD_APP_KEY, DD_SITE, DD_API_URL (validated by config/). */
export interface DatadogSettings {
  apiKey: string;
  appKey: string;
  /** `datadoghq.com`, `datadoghq.eu`, `us3.datadoghq.com`, `us5.datadoghq.com`, `ap1.datadoghq.com`, `ddog-gov.com`… */
  site: string;
  /** A full base URL replacing `https://api.<site>` (a proxy, or a test's stand-in); null for the site's own. */
  apiUrl: string | null;
  /** How long one call may take, answer included. */
  timeoutMs: number;
  /** The largest answer read; a larger one is an `invalid` failure. */
  maxResponseBytes: number;
}
