/**
 * Datadog enrichment as a postmortem draft carries it: the metric's figures over the resolution the draft is
 * for (with the points a page draws), the changes shortly before detection and their timeline entries, and which
 * parts are still to come (a draft notification says so). Pure: the enrichment is read as data.
 */
import { datadogMonitorIds, describedMonitors, type IncidentEnrichment } from './enrichment';
import type { ChangeKind } from './enrichment-change-rules';
import { changeTimelineText } from './enrichment-changes';
import { metricQueryOf, type Comparator } from './enrichment-metric';
import { metricFigures, metricImpactLine, type MetricFigures } from './enrichment-metric-figures';
import type { MetricSeries } from './enrichment-metric-series';
import type { PostmortemTimelineEntry } from './postmortem';

/** The metric of one monitor over the incident, as the draft keeps it. */
export interface MetricFact {
  monitorId: string;
  query: string;
  comparator: Comparator;
  threshold: number;
  fromSeconds: number;
  toSeconds: number;
  figures: MetricFigures;
  /** `Peak 12.4 at 18:31 WAT (threshold 5); first above it at 18:26, back below at 19:57.`; null without data. */
  impactLine: string | null;
  series: MetricSeries[];
  snapshotUrl: string | null;
}

/** A change shortly before detection, as the draft lists it. */
export interface ChangeFact {
  id: string | null;
  at: Date;
  title: string | null;
  source: string | null;
  kind: ChangeKind;
  url: string | null;
}

/** The incident as the enrichment facts need it. */
export interface EnrichedSpan {
  monitorIds: readonly (string | null)[];
  resolutionCount: number;
  detectedAt: Date;
  resolvedAt: Date;
  timezone: string;
}

/** A monitor's evaluation is this much later than its window's end, at most (evaluation and delivery). */
export const EVALUATION_SLACK_SECONDS = 60;

/**
 * The metric facts of the resolution `span` is for, in the incident's monitor order: a metric queried for an
 * earlier resolution is left out (its window is not this one's; the new query is pending).
 */
export function metricFacts(enrichment: IncidentEnrichment, span: EnrichedSpan): MetricFact[] {
  const byMonitor = new Map(
    enrichment.metrics.filter((m) => m.resolutionCount === span.resolutionCount).map((m) => [m.monitorId, m]),
  );
  return span.monitorIds.flatMap((id) => {
    const metric = id === null ? undefined : byMonitor.get(id);
    if (metric === undefined) return [];
    const figures = metricFigures(metric.series, {
      comparator: metric.comparator,
      threshold: metric.threshold,
      detectedAt: span.detectedAt,
      resolvedAt: span.resolvedAt,
      leadSeconds: metric.evaluationWindowSeconds + EVALUATION_SLACK_SECONDS,
    });
    return [
      {
        monitorId: metric.monitorId,
        query: metric.query,
        comparator: metric.comparator,
        threshold: metric.threshold,
        fromSeconds: metric.fromSeconds,
        toSeconds: metric.toSeconds,
        figures,
        impactLine: metricImpactLine(figures, { timezone: span.timezone, detectedAt: span.detectedAt }),
        series: metric.series.map((s) => ({ ...s, points: s.points.map(([at, v]) => [at, v]) })),
        snapshotUrl: metric.snapshotUrl,
      },
    ];
  });
}

/** The changes shortly before detection, newest first; none when they were not asked for. */
export function changeFacts(enrichment: IncidentEnrichment): ChangeFact[] {
  return (enrichment.changes?.changes ?? []).map((c) => ({
    id: c.id,
    at: c.at,
    title: c.title,
    source: c.source,
    kind: c.kind,
    url: c.url,
  }));
}

/** The changes as timeline entries (a change is no delivery: it has no lag), to merge by time. */
export function changeTimelineEntries(changes: readonly ChangeFact[]): PostmortemTimelineEntry[] {
  return changes.map((change) => ({
    at: change.at,
    receivedAt: change.at,
    kind: 'change',
    text: changeTimelineText(change),
    deliveryLagSeconds: null,
  }));
}

/**
 * The timeline with the changes merged in by time; at one instant a change comes first (it was there before the
 * monitor saw anything).
 */
export function withChanges(
  timeline: readonly PostmortemTimelineEntry[],
  changes: readonly ChangeFact[],
): PostmortemTimelineEntry[] {
  const entries = changeTimelineEntries([...changes].reverse());
  if (entries.length === 0) return [...timeline];
  const merged: PostmortemTimelineEntry[] = [];
  let next = 0;
  for (const entry of timeline) {
    while (next < entries.length && (entries[next]?.at.getTime() ?? 0) <= entry.at.getTime())
      merged.push(entries[next++] as PostmortemTimelineEntry);
    merged.push(entry);
  }
  return [...merged, ...entries.slice(next)];
}

/** What a draft still waits for from Datadog: `the monitor`, `the metric`, `the changes shortly before`. */
export function pendingEnrichment(enrichment: IncidentEnrichment, span: EnrichedSpan): string[] {
  const failed = new Set(enrichment.problems.map((p) => p.call));
  const ids = datadogMonitorIds(span.monitorIds.map((id) => ({ id }))).map(String);
  const described = describedMonitors(enrichment, ids);
  const pending: string[] = [];
  if (described.length < ids.length && !failed.has('getMonitor')) pending.push('the monitor');
  const queried = new Set(
    enrichment.metrics.filter((m) => m.resolutionCount === span.resolutionCount).map((m) => m.monitorId),
  );
  const metricMonitors = described.filter((m) => metricQueryOf(m) !== null);
  if (metricMonitors.some((m) => !queried.has(String(m.id))) && !failed.has('queryMetrics'))
    pending.push('the metric');
  const changes = enrichment.changes;
  if ((changes === null || changes.resolutionCount < span.resolutionCount) && !failed.has('listEvents'))
    pending.push('the changes shortly before');
  return pending;
}

/** `Datadog enrichment is still pending (the metric): the draft is updated when it comes.`; null when none. */
export function pendingEnrichmentSentence(pending: readonly string[]): string | null {
  if (pending.length === 0) return null;
  return `Datadog enrichment is still pending (${pending.join(', ')}): the draft is updated when it comes.`;
}
