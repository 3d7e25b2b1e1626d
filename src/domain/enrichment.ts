/**
 * What Datadog's API added to an incident (issue 15): the monitors it described, the metric over the incident,
 * the changes shortly before detection, the notebook a published postmortem was exported to, and the calls that
 * failed for good (a 403's missing permission), kept beside the incident and read as data by the drafting. Pure
 * types and the rules that combine them; the fetching is the worker's (src/enrichment/).
 */
import type { ChangeEvent } from './enrichment-changes';
import type { Comparator } from './enrichment-metric';
import type { MetricSeries } from './enrichment-metric-series';
import type { MonitorDetails } from './enrichment-monitor';

export interface EnrichmentProblem {
  /** The call that failed: `getMonitor`, `queryMetrics`… */
  call: string;
  /** Short, key-free: `forbidden: the application key lacks the monitors_read permission`. */
  message: string;
  at: Date;
}

/** A metric monitor's metric, queried over one resolution of the incident (with a margin either side). */
export interface MetricEnrichment {
  /** The monitor whose query it is, as the incident names it (digits). */
  monitorId: string;
  /** The incident's resolution it was queried for: a later one queries again, over its own window. */
  resolutionCount: number;
  /** The expression queried (the monitor's, without its time aggregation and comparison). */
  query: string;
  comparator: Comparator;
  threshold: number;
  evaluationWindowSeconds: number;
  fromSeconds: number;
  toSeconds: number;
  /** Bounded in number and points (a page draws them). */
  series: MetricSeries[];
  /** Series Datadog answered beyond those kept. */
  omittedSeries: number;
  /** A rendered graph of the same window, where Datadog made one. */
  snapshotUrl: string | null;
  at: Date;
}

/** The change events of the affected services in the window before detection (already selected, newest first). */
export interface ChangesEnrichment {
  resolutionCount: number;
  windowMinutes: number;
  /** The services asked about. */
  services: string[];
  changes: ChangeEvent[];
  at: Date;
}

/** The Datadog notebook a published postmortem was exported to (DD_EXPORT_NOTEBOOKS). */
export interface NotebookEnrichment {
  id: string;
  url: string;
  at: Date;
}

export interface IncidentEnrichment {
  monitors: MonitorDetails[];
  metrics: MetricEnrichment[];
  changes: ChangesEnrichment | null;
  notebook: NotebookEnrichment | null;
  problems: EnrichmentProblem[];
}

export const NO_ENRICHMENT: IncidentEnrichment = {
  monitors: [],
  metrics: [],
  changes: null,
  notebook: null,
  problems: [],
};

/** Whether anything was added: an incident without enrichment shows none of it. */
export function hasEnrichment(enrichment: IncidentEnrichment): boolean {
  return (
    enrichment.monitors.length > 0 ||
    enrichment.metrics.length > 0 ||
    enrichment.changes !== null ||
    enrichment.notebook !== null ||
    enrichment.problems.length > 0
  );
}

/** The monitors described of those the incident names (by id), in the incident's order. */
export function describedMonitors(
  enrichment: IncidentEnrichment,
  monitorIds: readonly (string | null)[],
): MonitorDetails[] {
  const byId = new Map(enrichment.monitors.map((m) => [String(m.id), m]));
  return monitorIds.flatMap((id) => {
    const details = id === null ? undefined : byId.get(id);
    return details === undefined ? [] : [details];
  });
}

/** Datadog monitor ids are integers; anything else in a monitor's id is not one Datadog's API knows. */
const DATADOG_MONITOR_ID = /^\d{1,15}$/;

/** The monitor ids of these that Datadog's API knows, as numbers. */
export function datadogMonitorIds(monitors: readonly { id: string | null }[]): number[] {
  return monitors.flatMap((m) => (m.id !== null && DATADOG_MONITOR_ID.test(m.id) ? [Number(m.id)] : []));
}
