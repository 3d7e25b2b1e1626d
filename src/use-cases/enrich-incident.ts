/**
 * Datadog enrichment of an incident: the monitor Datadog describes, fetched (or taken from the worker's cache,
 * so a storm of incidents from one monitor costs one call), validated, kept beside the incident; the draft is
 * redrawn with it when the incident has resolved already. A call that fails for good (a 403 naming the missing
 * permission, a deleted monitor, an answer that is no monitor) is recorded once on the incident. Whatever
 * Datadog does, the incident and its draft are never held up: this runs as its own job, after them.
 */
import type { EnrichmentProblem } from '../domain/enrichment';
import { readMonitorDetails, type MonitorDetails } from '../domain/enrichment-monitor';
import { DatadogApiError, type DatadogApi, describeFailure } from '../enrichment/datadog.port';
import { ValidationError } from '../errors';
import type { PostmortemDraftJob } from '../queue/jobs';
import type { EnrichmentStore, IncidentStore } from './ports';

/** Monitors read recently, by id: a bounded cache whose entries expire. */
export interface MonitorCache {
  get(monitorId: number): MonitorDetails | undefined;
  set(monitorId: number, details: MonitorDetails): void;
}

export interface EnrichDeps {
  datadog: Pick<DatadogApi, 'getMonitor'>;
  enrichments: EnrichmentStore;
  incidents: Pick<IncidentStore, 'findById'>;
  monitors: MonitorCache;
  queueDraft: (job: PostmortemDraftJob) => Promise<void>;
  now: () => Date;
}

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
  let monitor = deps.monitors.get(monitorId);
  const fromCache = monitor !== undefined;
  if (monitor === undefined) {
    try {
      monitor = readMonitorDetails(await deps.datadog.getMonitor(monitorId));
    } catch (error) {
      const message = permanentFailure(error);
      if (message === null) throw error;
      const problem = { call: 'getMonitor', message, at: deps.now() };
      return { kind: 'problem', problem, first: await deps.enrichments.recordProblem(incidentId, problem) };
    }
    deps.monitors.set(monitorId, monitor);
  }
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

/** The message of a failure no retry will mend; null for one that may pass. */
function permanentFailure(error: unknown): string | null {
  if (error instanceof ValidationError) return `Datadog's answer is not a monitor (${error.message})`;
  if (!(error instanceof DatadogApiError)) return null;
  const { failure } = error;
  if (failure.kind === 'rate_limited' || failure.kind === 'unavailable') return null;
  return describeFailure(failure);
}
