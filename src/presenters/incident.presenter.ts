/** The incident as the API shows it: ISO-8601 UTC times, stable field names, no storage details. */
import type { IncidentEnrichment } from '../domain/enrichment';
import type { Incident } from '../domain/incident';

/** The incident's address in the API, the one link every message and draft points to. */
export function incidentUrl(publicUrl: string, incidentId: string): string {
  return `${publicUrl}/api/incidents/${incidentId}`;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function presentIncidentSummary(incident: Incident, publicUrl: string) {
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    source: incident.source,
    services: incident.services,
    hosts: incident.hosts,
    monitors: incident.monitors,
    detectedAt: iso(incident.detectedAt),
    resolvedAt: iso(incident.resolvedAt),
    durationSeconds: incident.durationSeconds,
    alerts: incident.alerts.map((a) => ({
      key: a.key,
      scope: a.scope,
      status: a.status,
      triggeredAt: iso(a.triggeredAt),
      recoveredAt: iso(a.recoveredAt),
    })),
    createdAt: iso(incident.createdAt),
    updatedAt: iso(incident.updatedAt),
    url: incidentUrl(publicUrl, incident.id),
  };
}

/** An incident whole: its timeline, and what Datadog's API added to it (only when it added something). */
export function presentIncident(incident: Incident, publicUrl: string, enrichment?: IncidentEnrichment) {
  const enriched =
    enrichment !== undefined && (enrichment.monitors.length > 0 || enrichment.problems.length > 0);
  return {
    ...presentIncidentSummary(incident, publicUrl),
    ...(enriched ? { datadog: presentEnrichment(enrichment) } : {}),
    timeline: incident.timeline.map((t) => ({
      at: t.at.toISOString(),
      receivedAt: t.receivedAt.toISOString(),
      kind: t.kind,
      alertKey: t.alertKey,
      message: t.message,
    })),
  };
}

/** The monitors Datadog described (times as ISO strings) and the calls that failed for good. */
export function presentEnrichment(enrichment: IncidentEnrichment) {
  return {
    monitors: enrichment.monitors.map((m) => ({
      ...m,
      downtimes: m.downtimes.map((d) => ({ ...d, start: iso(d.start), end: iso(d.end) })),
    })),
    problems: enrichment.problems.map((p) => ({ call: p.call, message: p.message, at: p.at.toISOString() })),
  };
}
