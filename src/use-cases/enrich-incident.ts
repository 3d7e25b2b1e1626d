/**
 * Datadog enrichment of an incident (issue 15), one job per part, each after the incident and its draft, so
 * Datadog being slow or down never holds either up:
 * - the monitor Datadog describes, when the incident opens (from the worker's cache when it was read recently,
 *   so a storm of incidents from one monitor costs one call);
 * - its metric over the incident, when the incident resolves (metric monitors only): the series queried over
 *   the incident with a margin either side, and a rendered graph of the same window;
 * - the changes shortly before detection, when the incident resolves: the change events of the affected
 *   services in DD_CHANGE_EVENTS_WINDOW_MINUTES before detection.
 * Each answer is validated and bounded, kept beside the incident, and the draft is redrawn with it once the
 * incident has resolved. A call that fails for good (a 403 naming the missing permission, a deleted monitor, an
 * answer that is no monitor) is recorded once on the incident; one that may pass is thrown for the job to retry.
 */
import type { ChangesEnrichment, EnrichmentProblem, MetricEnrichment } from '../domain/enrichment';
import { readChangeEvents, type DatadogEvent } from '../domain/enrichment-change-events';
import { changesShortlyBefore } from '../domain/enrichment-changes';
import { readSnapshotUrl } from '../domain/enrichment-links';
import { metricQueryOf, metricWindow } from '../domain/enrichment-metric';
import { readMetricSeries } from '../domain/enrichment-metric-series';
import { readMonitorDetails, type MonitorDetails } from '../domain/enrichment-monitor';
import type { Incident } from '../domain/incident';
import { formatClock, formatDate, formatDateTime, zoneName } from '../domain/time-format';
import {
  DatadogApiError,
  type DatadogApi,
  type DatadogCall,
  describeFailure,
} from '../enrichment/datadog.port';
import { ValidationError } from '../errors';
import { capText } from '../payloads/values';
import type { PostmortemDraftJob } from '../queue/jobs';
import type { EnrichmentStore, IncidentStore } from './ports';

/** Monitors read recently, by id: a bounded cache whose entries expire. */
export interface MonitorCache {
  get(monitorId: number): MonitorDetails | undefined;
  set(monitorId: number, details: MonitorDetails): void;
}

export interface EnrichDeps {
  datadog: Partial<Pick<DatadogApi, 'queryMetrics' | 'getGraphSnapshot' | 'listEvents'>> &
    Pick<DatadogApi, 'getMonitor'>;
  enrichments: EnrichmentStore;
  incidents: Pick<IncidentStore, 'findById'>;
  monitors: MonitorCache;
  queueDraft: (job: PostmortemDraftJob) => Promise<void>;
  now: () => Date;
  /** DD_CHANGE_EVENTS_WINDOW_MINUTES: how far before detection a change counts (default 60). */
  changeWindowMinutes?: number;
  /** Where relative event links point (`https://app.datadoghq.com`); they are dropped without it. */
  appUrl?: string | null;
  /** The zone the snapshot's title gives detection and resolution in. */
  timezone?: string;
}

/** Series kept per metric (the most extreme ones) and points per series: what a draft stores and a page draws. */
export const METRIC_SERIES_KEPT = 3;
export const METRIC_POINTS_KEPT = 240;
/** Services asked about per incident (one listEvents call each), and changes kept. */
export const CHANGE_SERVICES_ASKED = 5;
export const CHANGES_KEPT = 20;
export const DEFAULT_CHANGE_WINDOW_MINUTES = 60;

export type EnrichOutcome =
  | { kind: 'enriched'; fromCache: boolean; monitor: MonitorDetails }
  | { kind: 'missing' }
  /** Failed for good; `first` when this is the first time for the incident (then it is worth a log line). */
  | { kind: 'problem'; problem: EnrichmentProblem; first: boolean };

/**
 * The monitor `monitorId` of the incident, described. A failure that may pass (429, 5xx, network, timeout) is
 * thrown as the DatadogApiError it is, for the job to retry; one that will not is recorded and returned.
 */
export async function enrichMonitor(
  deps: EnrichDeps,
  incidentId: string,
  monitorId: number,
): Promise<EnrichOutcome> {
  const incident = await deps.incidents.findById(incidentId);
  if (incident === null) return { kind: 'missing' };
  const described = await describeMonitor(deps, incidentId, monitorId);
  if (described.kind === 'problem') return described;
  const { monitor, fromCache } = described;
  await deps.enrichments.saveMonitor(incidentId, monitor, deps.now());
  // A draft written before the monitor was described is redrawn with it (what people wrote is kept); there is
  // one only once the incident has resolved (the draft job leaves a reopened one's alone).
  if (incident.resolutionCount > 0)
    await deps.queueDraft({
      incidentId,
      resolutionCount: incident.resolutionCount,
      incidentVersion: incident.version,
      cause: `monitor-${monitorId}`,
    });
  return { kind: 'enriched', fromCache, monitor };
}

/** The monitor from the cache, or from Datadog (then cached); a failure for good recorded on the incident. */
async function describeMonitor(
  deps: EnrichDeps,
  incidentId: string,
  monitorId: number,
): Promise<{ kind: 'described'; monitor: MonitorDetails; fromCache: boolean } | Problem> {
  const cached = deps.monitors.get(monitorId);
  if (cached !== undefined) return { kind: 'described', monitor: cached, fromCache: true };
  let monitor: MonitorDetails;
  try {
    monitor = readMonitorDetails(await deps.datadog.getMonitor(monitorId));
  } catch (error) {
    return recordFailure(deps, incidentId, 'getMonitor', error);
  }
  deps.monitors.set(monitorId, monitor);
  return { kind: 'described', monitor, fromCache: false };
}

type Problem = { kind: 'problem'; problem: EnrichmentProblem; first: boolean };

/** A failure for good, recorded once on the incident; one that may pass is thrown again, for the job to retry. */
async function recordFailure(
  deps: Pick<EnrichDeps, 'enrichments' | 'now'>,
  incidentId: string,
  call: DatadogCall,
  error: unknown,
  what = 'a monitor',
): Promise<Problem> {
  const message = permanentFailure(error, what);
  if (message === null) throw error;
  return recordProblem(deps, incidentId, { call, message, at: deps.now() });
}

async function recordProblem(
  deps: Pick<EnrichDeps, 'enrichments'>,
  incidentId: string,
  problem: EnrichmentProblem,
): Promise<Problem> {
  return { kind: 'problem', problem, first: await deps.enrichments.recordProblem(incidentId, problem) };
}

/** The message of a failure no retry will mend; null for one that may pass. */
function permanentFailure(error: unknown, what: string): string | null {
  if (error instanceof ValidationError) return `Datadog's answer is not ${what} (${error.message})`;
  if (!(error instanceof DatadogApiError)) return null;
  const { failure } = error;
  if (failure.kind === 'rate_limited' || failure.kind === 'unavailable') return null;
  return describeFailure(failure);
}

export type ResolutionEnrichOutcome =
  | { kind: 'enriched'; calls: number }
  /** Nothing to ask: not a metric monitor, no service tagged. */
  | { kind: 'not_applicable'; reason: string }
  /** The incident is gone, open again, or resolved again since the job was queued (a newer job does this). */
  | { kind: 'missing' | 'stale' }
  | Problem;

/** The incident when it still is resolved for the `resolutionCount` the job was queued for. */
async function resolvedFor(deps: EnrichDeps, incidentId: string, resolutionCount: number) {
  const incident = await deps.incidents.findById(incidentId);
  if (incident === null) return 'missing';
  if (incident.status !== 'resolved' || incident.resolutionCount !== resolutionCount || !incident.resolvedAt)
    return 'stale';
  return incident as Incident & { resolvedAt: Date };
}

/**
 * The metric of monitor `monitorId` over the resolution `resolutionCount` of the incident: queried over the
 * incident with a margin either side, bounded, kept; then a rendered graph of the same window. When the query
 * was kept already (a retry after the graph failed), only the graph is asked for.
 */
export async function enrichMetric(
  deps: EnrichDeps,
  incidentId: string,
  resolutionCount: number,
  monitorId: number,
): Promise<ResolutionEnrichOutcome> {
  const { queryMetrics, getGraphSnapshot } = deps.datadog;
  if (queryMetrics === undefined || getGraphSnapshot === undefined)
    throw new Error('enrichMetric needs queryMetrics and getGraphSnapshot');
  const incident = await resolvedFor(deps, incidentId, resolutionCount);
  if (typeof incident === 'string') return { kind: incident };
  const enrichment = await deps.enrichments.find(incidentId);
  let metric = enrichment.metrics.find(
    (m) => m.monitorId === String(monitorId) && m.resolutionCount === resolutionCount,
  );
  let calls = 0;
  if (metric === undefined) {
    // The monitor as its own job kept it; else read (from the cache or Datadog) and kept here, unless reading
    // it failed for good already.
    let monitor = enrichment.monitors.find((m) => m.id === monitorId);
    if (monitor === undefined) {
      if (enrichment.problems.some((p) => p.call === 'getMonitor'))
        return { kind: 'not_applicable', reason: 'the monitor could not be read' };
      const described = await describeMonitor(deps, incidentId, monitorId);
      if (described.kind === 'problem') return described;
      monitor = described.monitor;
      await deps.enrichments.saveMonitor(incidentId, monitor, deps.now());
    }
    const query = metricQueryOf(monitor);
    if (query === null)
      return {
        kind: 'not_applicable',
        reason: `a ${capText(monitor.type, 50)} monitor has no metric to query`,
      };
    const window = metricWindow(incident.detectedAt, incident.resolvedAt, { now: deps.now() });
    let answer: unknown;
    try {
      answer = await queryMetrics(query.query, window.fromSeconds, window.toSeconds);
      calls += 1;
    } catch (error) {
      return recordFailure(deps, incidentId, 'queryMetrics', error, 'a metric series');
    }
    const direction = query.comparator.startsWith('>') ? 'peak' : 'trough';
    const read = readMetricSeries(answer, {
      maxSeries: METRIC_SERIES_KEPT,
      maxPoints: METRIC_POINTS_KEPT,
      direction,
    });
    if (read.kind === 'refused')
      return recordProblem(deps, incidentId, {
        call: 'queryMetrics',
        message: `Datadog's answer is not a metric series (${read.reason})`,
        at: deps.now(),
      });
    metric = {
      monitorId: String(monitorId),
      resolutionCount,
      query: query.query,
      comparator: query.comparator,
      threshold: query.threshold,
      evaluationWindowSeconds: query.evaluationWindowSeconds,
      fromSeconds: window.fromSeconds,
      toSeconds: window.toSeconds,
      series: read.series,
      omittedSeries: read.omittedSeries,
      snapshotUrl: null,
      at: deps.now(),
    } satisfies MetricEnrichment;
    await deps.enrichments.saveMetric(incidentId, metric);
    await queueRedraft(deps, incident, `metric-${monitorId}`);
  }
  if (metric.snapshotUrl !== null) return { kind: 'enriched', calls };
  let snapshotUrl: string | null;
  try {
    snapshotUrl = readSnapshotUrl(
      await getGraphSnapshot({
        metricQuery: metric.query,
        startSeconds: metric.fromSeconds,
        endSeconds: metric.toSeconds,
        title: snapshotTitle(incident, deps.timezone ?? 'UTC'),
      }),
    );
    calls += 1;
  } catch (error) {
    // The figures stand without the graph: a failure for good is recorded, one that may pass retried.
    await recordFailure(deps, incidentId, 'getGraphSnapshot', error, 'a graph snapshot');
    return { kind: 'enriched', calls };
  }
  if (snapshotUrl === null) {
    await recordProblem(deps, incidentId, {
      call: 'getGraphSnapshot',
      message: "Datadog's answer has no https snapshot_url",
      at: deps.now(),
    });
    return { kind: 'enriched', calls };
  }
  await deps.enrichments.saveMetric(incidentId, { ...metric, snapshotUrl, at: deps.now() });
  await queueRedraft(deps, incident, `metric-${monitorId}-graph`);
  return { kind: 'enriched', calls };
}

/** `Web 5xx: detected 18:26, resolved 19:57 WAT`: the graph's window has a margin, the title marks the span. */
function snapshotTitle(incident: Incident & { resolvedAt: Date }, zone: string): string {
  const { detectedAt, resolvedAt } = incident;
  const sameDay = formatDate(detectedAt, zone) === formatDate(resolvedAt, zone);
  const time = (d: Date) => (sameDay ? formatClock(d, zone) : formatDateTime(d, zone));
  const span = `detected ${time(detectedAt)}, resolved ${time(resolvedAt)} ${zoneName(resolvedAt, zone)}`;
  return `${capText(incident.title, 120)}: ${span}`;
}

/**
 * The changes shortly before detection: each affected service's events in the window before it (one call per
 * service, the first CHANGE_SERVICES_ASKED), those that are changes of those services, newest first.
 */
export async function enrichChanges(
  deps: EnrichDeps,
  incidentId: string,
  resolutionCount: number,
): Promise<ResolutionEnrichOutcome> {
  const { listEvents } = deps.datadog;
  if (listEvents === undefined) throw new Error('enrichChanges needs listEvents');
  const incident = await resolvedFor(deps, incidentId, resolutionCount);
  if (typeof incident === 'string') return { kind: incident };
  const services = incident.services.slice(0, CHANGE_SERVICES_ASKED);
  const windowMinutes = deps.changeWindowMinutes ?? DEFAULT_CHANGE_WINDOW_MINUTES;
  if (services.length === 0) return { kind: 'not_applicable', reason: 'no service is tagged' };
  const endSeconds = Math.ceil(incident.detectedAt.getTime() / 1000);
  const startSeconds = endSeconds - windowMinutes * 60;
  const events: DatadogEvent[] = [];
  for (const service of services) {
    let answer: unknown;
    try {
      answer = await listEvents({ startSeconds, endSeconds, tags: `service:${service}` });
    } catch (error) {
      return recordFailure(deps, incidentId, 'listEvents', error, 'a list of events');
    }
    const read = readChangeEvents(answer, { appUrl: deps.appUrl ?? null });
    if (read.kind === 'refused')
      return recordProblem(deps, incidentId, {
        call: 'listEvents',
        message: `Datadog's answer is not a list of events (${read.reason})`,
        at: deps.now(),
      });
    events.push(...read.events);
  }
  const changes: ChangesEnrichment = {
    resolutionCount,
    windowMinutes,
    services,
    changes: changesShortlyBefore(events, {
      services,
      detectedAt: incident.detectedAt,
      windowMinutes,
      max: CHANGES_KEPT,
    }),
    at: deps.now(),
  };
  await deps.enrichments.saveChanges(incidentId, changes);
  await queueRedraft(deps, incident, 'changes');
  return { kind: 'enriched', calls: services.length };
}

/** The resolved incident's draft, redrawn with what was just kept (what people wrote is kept). */
async function queueRedraft(deps: EnrichDeps, incident: Incident, cause: string): Promise<void> {
  await deps.queueDraft({
    incidentId: incident.id,
    resolutionCount: incident.resolutionCount,
    incidentVersion: incident.version,
    cause: `${cause}-r${incident.resolutionCount}`,
  });
}
