/**
 * Drafting a postmortem: the facts Hindsight pre-fills from a resolved incident, the rule that brings a draft
 * up to date when the incident resolves again (never touching what people wrote), and what still blocks
 * publication.
 */
import { NO_ENRICHMENT, describedMonitors, type IncidentEnrichment } from './enrichment';
import { changeFacts, metricFacts, withChanges } from './enrichment-facts';
import { detectionDetails } from './enrichment-monitor';
import type { Incident } from './incident';
import {
  EMPTY_SECTIONS,
  type ActionItem,
  type Postmortem,
  type PostmortemFacts,
  type PostmortemSections,
} from './postmortem';
import { issueSummary, monitorPhrase, type ResolvedSpan } from './postmortem-summary';
import { postmortemTimeline } from './postmortem-timeline';

export interface DraftOptions {
  /** The IANA zone the human-facing times are written in, e.g. `Africa/Lagos`. */
  timezone: string;
  /** Where people open the incident in Hindsight. */
  incidentUrl: string;
  /** A notification received at least this late is marked on the timeline (default 60). */
  deliveryLagThresholdSeconds?: number;
  /** What Datadog's API added to the incident, when enrichment is on. */
  enrichment?: IncidentEnrichment;
}

export const DEFAULT_DELIVERY_LAG_THRESHOLD_SECONDS = 60;

export const MISSING_ROOT_CAUSE = 'root cause (technical, human or process factors)';
export const MISSING_ACTION_ITEM = 'an action item with an owner and a deadline';

/** The facts of a resolved incident, ready to pre-fill its postmortem. Throws for an incident still open. */
export function draftPostmortemFacts(incident: Incident, options: DraftOptions): PostmortemFacts {
  const span = resolvedSpan(incident);
  const threshold = options.deliveryLagThresholdSeconds ?? DEFAULT_DELIVERY_LAG_THRESHOLD_SECONDS;
  const told = postmortemTimeline(incident, threshold);
  const enrichment = options.enrichment ?? NO_ENRICHMENT;
  const monitorIds = incident.monitors.map((m) => m.id);
  const described = describedMonitors(enrichment, monitorIds);
  const metrics = metricFacts(enrichment, {
    monitorIds,
    resolutionCount: incident.resolutionCount,
    detectedAt: span.detectedAt,
    resolvedAt: span.resolvedAt,
    timezone: options.timezone,
  });
  const changes = changeFacts(enrichment);
  return {
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    services: [...incident.services],
    hosts: [...incident.hosts],
    monitors: incident.monitors.map((m) => ({ ...m })),
    source: incident.source,
    detection: monitorPhrase(incident.source, incident.monitors),
    ...(described.length === 0 ? {} : { detectionDetails: detectionDetails(described) }),
    detectedAt: span.detectedAt,
    resolvedAt: span.resolvedAt,
    durationSeconds: span.durationSeconds,
    timezone: options.timezone,
    issueSummary: issueSummary(incident, span, options.timezone),
    timeline: withChanges(told.entries, changes),
    ...(told.omitted === 0 ? {} : { timelineOmitted: told.omitted }),
    ...(metrics.length === 0 ? {} : { metrics }),
    ...(changes.length === 0 ? {} : { changes }),
    figures: {
      // The monitor's event time is when it detected the problem; nothing in the incident says when it began.
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: timeToAcknowledge(incident),
      timeToRecoverSeconds: secondsBetween(span.detectedAt, span.resolvedAt),
    },
    resolutionCount: incident.resolutionCount,
    incidentUrl: options.incidentUrl,
  };
}

/**
 * The postmortem after the incident resolved (again) or changed since: a new draft when there is none; the
 * existing one with its facts brought up to date when they differ and are not from an earlier resolution (a
 * later resolution, or a late alert that changed the resolved incident; what people wrote and the status are
 * kept); otherwise the existing one itself, so a retried or stale job changes nothing.
 */
export function redraftPostmortem(
  existing: Postmortem | null,
  facts: PostmortemFacts,
  now: Date,
): Postmortem {
  if (existing === null) {
    return {
      incidentId: facts.incidentId,
      status: 'draft',
      facts,
      sections: emptySections(),
      version: 1,
      draftedAt: now,
      updatedAt: now,
      publishedAt: null,
    };
  }
  if (existing.incidentId !== facts.incidentId)
    throw new Error(
      `facts of incident ${facts.incidentId} given for the postmortem of ${existing.incidentId}`,
    );
  if (facts.resolutionCount < existing.facts.resolutionCount || sameFacts(facts, existing.facts))
    return existing;
  return { ...existing, facts, version: existing.version + 1, updatedAt: now };
}

/**
 * Whether a postmortem was drafted for a resolution the incident's history no longer has (a late alert showed
 * it was still firing: the resolution count went back) and nobody has worked on it (still a draft, every
 * section empty): then it is withdrawn, not left as a draft of an open incident. One people wrote in stays.
 */
export function isWithdrawable(postmortem: Postmortem, incident: Incident): boolean {
  return (
    incident.status !== 'resolved' &&
    postmortem.facts.resolutionCount > incident.resolutionCount &&
    postmortem.status === 'draft' &&
    JSON.stringify(postmortem.sections) === JSON.stringify(emptySections())
  );
}

/** Facts compared as they are stored (JSON): a Date and its ISO text, an absent and an undefined field, are one. */
function sameFacts(a: PostmortemFacts, b: PostmortemFacts): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What blocks publication, in words; empty when the postmortem can be published. */
export function missingForPublication(postmortem: Postmortem, actionItems: readonly ActionItem[]): string[] {
  const { technical, human, process } = postmortem.sections.rootCause;
  const missing: string[] = [];
  if (![technical, human, process].some(isWritten)) missing.push(MISSING_ROOT_CAUSE);
  const assigned = actionItems.some(
    (item) => item.incidentId === postmortem.incidentId && isWritten(item.owner) && isWritten(item.deadline),
  );
  if (!assigned) missing.push(MISSING_ACTION_ITEM);
  return missing;
}

export function isWritten(text: string | null): text is string {
  return text !== null && text.trim().length > 0;
}

function resolvedSpan(incident: Incident): ResolvedSpan {
  const { status, detectedAt, resolvedAt, durationSeconds } = incident;
  if (status !== 'resolved' || resolvedAt === null || durationSeconds === null)
    throw new Error(`incident ${incident.id} is not resolved: its postmortem cannot be drafted yet`);
  return { detectedAt, resolvedAt, durationSeconds };
}

/**
 * From detection to the first acknowledgement, a person's in Hindsight or one at the source (PagerDuty's, say);
 * an acknowledgement before detection counts as immediate.
 */
export function timeToAcknowledge(
  incident: Pick<Incident, 'detectedAt' | 'acknowledgements' | 'events'>,
): number | null {
  const times = [
    ...incident.acknowledgements.map((a) => a.at.getTime()),
    ...incident.events.filter((e) => e.transition === 'acknowledged').map((e) => e.at.getTime()),
  ];
  if (times.length === 0) return null;
  return Math.max(0, secondsBetween(incident.detectedAt, new Date(Math.min(...times))));
}

function secondsBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 1000);
}

function emptySections(): PostmortemSections {
  return {
    ...EMPTY_SECTIONS,
    rootCause: { ...EMPTY_SECTIONS.rootCause },
    impact: { ...EMPTY_SECTIONS.impact },
    lessons: { ...EMPTY_SECTIONS.lessons },
  };
}
