/**
 * What Datadog's API added to an incident (issue 15): the monitors it described, and the calls that failed for
 * good (a 403's missing permission), kept beside the incident and read as data by the drafting. Pure types and
 * the rules that combine them; the fetching is the worker's (src/enrichment/).
 */
import type { MonitorDetails } from './enrichment-monitor';

export interface EnrichmentProblem {
  /** The call that failed: `getMonitor`, `queryMetrics`… */
  call: string;
  /** Short, key-free: `forbidden: the application key lacks the monitors_read permission`. */
  message: string;
  at: Date;
}

export interface IncidentEnrichment {
  monitors: MonitorDetails[];
  problems: EnrichmentProblem[];
}

export const NO_ENRICHMENT: IncidentEnrichment = { monitors: [], problems: [] };

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
