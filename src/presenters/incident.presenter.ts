/** The incident as the API shows it: ISO-8601 UTC times, stable field names, no storage details. */
import { hasEnrichment, type IncidentEnrichment } from '../domain/enrichment';
import type { Incident, TimelineEntry } from '../domain/incident';
import { timelinePage, type TimelinePage } from '../domain/timeline-page';

/** The incident's page in the browser UI: the link every message and draft gives people. */
export function incidentPageUrl(publicUrl: string, incidentId: string): string {
  return `${publicUrl}/incidents/${incidentId}`;
}

/** The postmortem's page, where on-call complete it: the link of every draft notification. */
export function postmortemPageUrl(publicUrl: string, incidentId: string): string {
  return `${incidentPageUrl(publicUrl, incidentId)}/postmortem`;
}

/** The incident in the JSON API (for programs; people follow the page). */
export function incidentApiUrl(publicUrl: string, incidentId: string): string {
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
    alertCount: incident.alertCount,
    alerts: incident.alerts.map((a) => ({
      key: a.key,
      scope: a.scope,
      status: a.status,
      triggeredAt: iso(a.triggeredAt),
      recoveredAt: iso(a.recoveredAt),
    })),
    createdAt: iso(incident.createdAt),
    updatedAt: iso(incident.updatedAt),
    url: incidentApiUrl(publicUrl, incident.id),
    pageUrl: incidentPageUrl(publicUrl, incident.id),
  };
}

/**
 * An incident whole: the first page of its timeline (the rest at `timelineUrl`), and what Datadog's API added
 * to it (only when it added something).
 */
export function presentIncident(incident: Incident, publicUrl: string, enrichment?: IncidentEnrichment) {
  const enriched = enrichment !== undefined && hasEnrichment(enrichment);
  const page = timelinePage(incident.timeline, undefined)!;
  return {
    ...presentIncidentSummary(incident, publicUrl),
    ...(enriched ? { datadog: presentEnrichment(enrichment) } : {}),
    timeline: page.entries.map(presentTimelineEntry),
    timelineEntries: page.total,
    timelineNextCursor: page.nextCursor,
    timelineUrl: `${incidentApiUrl(publicUrl, incident.id)}/timeline`,
  };
}

/** A page of the timeline (GET /api/incidents/:id/timeline). */
export function presentTimelinePage(page: TimelinePage) {
  return { items: page.entries.map(presentTimelineEntry), nextCursor: page.nextCursor, total: page.total };
}

function presentTimelineEntry(t: TimelineEntry) {
  return {
    at: t.at.toISOString(),
    receivedAt: t.receivedAt.toISOString(),
    kind: t.kind,
    alertKey: t.alertKey,
    message: t.message,
  };
}

/**
 * What Datadog added (times as ISO strings): the monitors it described, the metric queried per monitor (the
 * window and its link; the points are the postmortem's), the changes shortly before, the notebook a published
 * postmortem went to, and the calls that failed for good.
 */
export function presentEnrichment(enrichment: IncidentEnrichment) {
  const { changes, notebook } = enrichment;
  return {
    monitors: enrichment.monitors.map((m) => ({
      ...m,
      downtimes: m.downtimes.map((d) => ({ ...d, start: iso(d.start), end: iso(d.end) })),
    })),
    metrics: enrichment.metrics.map((m) => ({
      monitorId: m.monitorId,
      resolutionCount: m.resolutionCount,
      query: m.query,
      comparator: m.comparator,
      threshold: m.threshold,
      from: new Date(m.fromSeconds * 1000).toISOString(),
      to: new Date(m.toSeconds * 1000).toISOString(),
      series: m.series.length,
      snapshotUrl: m.snapshotUrl,
    })),
    changes:
      changes === null
        ? null
        : {
            windowMinutes: changes.windowMinutes,
            services: [...changes.services],
            events: changes.changes.map((c) => ({
              id: c.id,
              at: c.at.toISOString(),
              kind: c.kind,
              title: c.title,
              source: c.source,
              url: c.url,
            })),
          },
    notebook:
      notebook === null ? null : { id: notebook.id, url: notebook.url, at: notebook.at.toISOString() },
    problems: enrichment.problems.map((p) => ({ call: p.call, message: p.message, at: p.at.toISOString() })),
  };
}
