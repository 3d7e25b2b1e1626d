/**
 * The postmortem as a document people read, laid out like the reference incident report: summary, timeline,
 * figures, then the sections people write (root cause, impact, resolution, lessons, measures, action items).
 * Times are in the postmortem's zone, each with the zone's name at that instant.
 */
import { changesShortlyBeforePart } from './enrichment-changes';
import { blockText, codeSpan, inlineText, markdownLink, prompt, safeUrl } from './markdown-text';
import type { ActionItem, Postmortem, PostmortemFacts, PostmortemTimelineEntry } from './postmortem';
import { missingForPublication } from './postmortem-draft';
import {
  PROMPTS,
  actionItemsSection,
  correctiveSection,
  impactSection,
  inlineOrPrompt,
  lessonsSection,
  resolutionSection,
  rootCauseSection,
} from './postmortem-sections';
import { formatClock, formatDate, formatDateTime, formatDuration, zoneLabel, zoneName } from './time-format';

export function renderPostmortemMarkdown(postmortem: Postmortem, actionItems: readonly ActionItem[]): string {
  const items = itemsOf(postmortem, actionItems);
  const { sections } = postmortem;
  const blocks = [
    header(postmortem, missingForPublication(postmortem, items)),
    incidentSummary(postmortem),
    issueSummary(postmortem),
    timeline(postmortem.facts),
    figures(postmortem.facts),
    rootCauseSection(sections, changesPart(postmortem.facts)),
    impactSection(sections, metricPart(postmortem.facts)),
    resolutionSection(sections),
    lessonsSection(sections),
    correctiveSection(sections),
    actionItemsSection(items),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** The postmortem for a JSON API: ISO-8601 UTC dates, what blocks publication, and the rendered document. */
export function presentPostmortemJson(postmortem: Postmortem, actionItems: readonly ActionItem[]) {
  const { facts } = postmortem;
  const items = itemsOf(postmortem, actionItems);
  return {
    incidentId: postmortem.incidentId,
    status: postmortem.status,
    version: postmortem.version,
    draftedAt: postmortem.draftedAt.toISOString(),
    updatedAt: postmortem.updatedAt.toISOString(),
    publishedAt: postmortem.publishedAt?.toISOString() ?? null,
    updatedBy: postmortem.updatedBy ?? null,
    publishedBy: postmortem.publishedBy ?? null,
    facts: {
      ...facts,
      services: [...facts.services],
      hosts: [...facts.hosts],
      monitors: facts.monitors.map((m) => ({ ...m })),
      detectedAt: facts.detectedAt.toISOString(),
      resolvedAt: facts.resolvedAt.toISOString(),
      timeline: facts.timeline.map((t) => ({
        ...t,
        at: t.at.toISOString(),
        receivedAt: t.receivedAt.toISOString(),
      })),
      figures: { ...facts.figures },
    },
    sections: structuredClone(postmortem.sections),
    actionItems: items.map((item) => ({
      ...item,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
      completedAt: item.completedAt?.toISOString() ?? null,
    })),
    missingForPublication: missingForPublication(postmortem, items),
    markdown: renderPostmortemMarkdown(postmortem, items),
  };
}

export type PostmortemJson = ReturnType<typeof presentPostmortemJson>;

/** This incident's action items, oldest first. */
function itemsOf(postmortem: Postmortem, actionItems: readonly ActionItem[]): ActionItem[] {
  return actionItems
    .filter((item) => item.incidentId === postmortem.incidentId)
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

function header(postmortem: Postmortem, missing: readonly string[]): string {
  const { facts } = postmortem;
  const status =
    postmortem.status === 'published' && postmortem.publishedAt !== null
      ? `published ${formatDate(postmortem.publishedAt, facts.timezone)}`
      : postmortem.status.replace('_', ' ');
  const lines = [
    `# Postmortem: ${inlineText(facts.title)}`,
    `Status: ${status} · Severity: ${facts.severity ?? 'not set'} · Incident ${markdownLink(facts.incidentId, facts.incidentUrl)}`,
  ];
  if (postmortem.status !== 'published' && missing.length > 0)
    lines.push(`> Before it can be published, this postmortem needs: ${missing.join('; ')}.`);
  return lines.join('\n\n');
}

function incidentSummary(postmortem: Postmortem): string {
  const { facts, sections } = postmortem;
  const zone = facts.timezone;
  const startDay = formatDate(facts.detectedAt, zone);
  const endDay = formatDate(facts.resolvedAt, zone);
  const bullets: [string, string][] = [
    ['Incident ID', inlineText(facts.incidentId)],
    ['Date', startDay === endDay ? startDay : `${startDay} to ${endDay}`],
    ['Start', timeIn(facts.detectedAt, zone, startDay === endDay)],
    ['End', timeIn(facts.resolvedAt, zone, startDay === endDay)],
    ['Duration', formatDuration(facts.durationSeconds)],
    ['Services affected', listOrNone(facts.services)],
    ['Hosts', listOrNone(facts.hosts)],
    ['Severity', facts.severity ?? '_not set_'],
    ['Monitors', facts.monitors.map((m) => markdownLink(m.name, m.url)).join(', ') || '_none_'],
    ['Detection', detectionLine(facts)],
  ];
  if (facts.resolutionCount > 1) bullets.push(['Reopened', times(facts.resolutionCount - 1)]);
  bullets.push(
    ['Users impacted', inlineOrPrompt(sections.usersImpacted, PROMPTS.usersImpacted)],
    ['Incident lead', inlineOrPrompt(sections.incidentLead, PROMPTS.incidentLead)],
  );
  return `## Incident summary\n\n${bullets.map(([label, value]) => `- ${label}: ${value}`).join('\n')}`;
}

/** `Datadog monitor “Web 5xx”, \`<query>\`, warning 3, critical 5` where Datadog described it; the phrase else. */
function detectionLine(facts: PostmortemFacts): string {
  if (facts.detectionDetails === undefined || facts.detectionDetails.length === 0)
    return inlineText(facts.detection);
  return facts.detectionDetails
    .map((detail) =>
      [
        inlineText(detail.monitor),
        codeSpan(detail.query),
        ...(detail.thresholds ? [inlineText(detail.thresholds)] : []),
      ].join(', '),
    )
    .join('; ');
}

/** `### Changes shortly before`: what changed in the affected services just before detection, if anything. */
function changesPart(facts: PostmortemFacts): string | null {
  if (facts.changes === undefined) return null;
  return changesShortlyBeforePart(facts.changes, { timezone: facts.timezone, detectedAt: facts.detectedAt });
}

/** `### The metric`: the figures read off each metric monitor's graph, and a link to the rendered graph. */
function metricPart(facts: PostmortemFacts): string | null {
  const metrics = (facts.metrics ?? []).filter(
    (m) => m.impactLine !== null || safeUrl(m.snapshotUrl) !== null,
  );
  if (metrics.length === 0) return null;
  const lines = metrics.map((metric) => {
    const graph =
      safeUrl(metric.snapshotUrl) === null ? '' : ` ${markdownLink('Graph', metric.snapshotUrl)}.`;
    const figuresText = metric.impactLine ?? 'No data in the window.';
    return metrics.length === 1
      ? `${figuresText}${graph}`
      : `- ${codeSpan(metric.query)}: ${figuresText}${graph}`;
  });
  return ['### The metric', lines.join('\n')].join('\n\n');
}

/** The drafted sentence; while unpublished, a prompt for what only people can add to it. */
function issueSummary(postmortem: Postmortem): string {
  const blocks = ['## Issue summary', blockText(postmortem.facts.issueSummary)];
  if (postmortem.status !== 'published') blocks.push(prompt(PROMPTS.issueSummary));
  return blocks.join('\n\n');
}

function timeline(facts: PostmortemFacts): string {
  const zone = facts.timezone;
  const shown = facts.timeline.flatMap((t) =>
    t.deliveryLagSeconds === null ? [t.at] : [t.at, t.receivedAt],
  );
  const instants = [facts.detectedAt, ...shown, facts.resolvedAt];
  const names = instants.sort((a, b) => a.getTime() - b.getTime()).map((d) => zoneName(d, zone));
  const oneDay = new Set(shown.map((d) => formatDate(d, zone)));
  const lines = facts.timeline.map((entry) => timelineLine(entry, zone, oneDay.size <= 1));
  const heading = `## Timeline (all times ${zoneLabel(zone, names, facts.detectedAt)})`;
  const omitted =
    facts.timelineOmitted === undefined
      ? ''
      : `\n\n_${facts.timelineOmitted} more entries, the monitors' repeated notifications, are on the incident's page._`;
  return `${heading}\n\n${lines.length > 0 ? lines.join('\n') : '_No entries._'}${omitted}`;
}

/** `- 18:26 WAT: Alert triggered on url:/ (received 18:27 WAT, 64 s late)` */
function timelineLine(entry: PostmortemTimelineEntry, zone: string, sameDay: boolean): string {
  const late =
    entry.deliveryLagSeconds === null
      ? ''
      : ` (received ${timeIn(entry.receivedAt, zone, sameDay)}, ${formatLag(entry.deliveryLagSeconds)} late)`;
  return `- ${timeIn(entry.at, zone, sameDay)}: ${inlineText(entry.text)}${late}`;
}

function figures(facts: PostmortemFacts): string {
  const { timeToDetectSeconds, timeToAcknowledgeSeconds, timeToRecoverSeconds } = facts.figures;
  const lines = [
    `- Time to detect: ${timeToDetectSeconds === null ? 'not known (the monitor does not say when the problem began)' : formatDuration(timeToDetectSeconds)}`,
    `- Time to acknowledge: ${timeToAcknowledgeSeconds === null ? 'not acknowledged' : `${formatDuration(timeToAcknowledgeSeconds)} after detection`}`,
    `- Time to recover: ${formatDuration(timeToRecoverSeconds)} after detection`,
  ];
  return `## Figures\n\n${lines.join('\n')}`;
}

/** `18:26 WAT`, or `2019-06-29 00:40 WAT` where the times span days. */
function timeIn(date: Date, zone: string, clockOnly: boolean): string {
  return `${clockOnly ? formatClock(date, zone) : formatDateTime(date, zone)} ${zoneName(date, zone)}`;
}

/** A lag to the second while it is short (`64 s`), as a duration beyond (`12 min`). */
function formatLag(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)} s` : formatDuration(seconds);
}

function listOrNone(values: readonly string[]): string {
  return values.length === 0 ? '_none tagged_' : values.map(inlineText).join(', ');
}

function times(count: number): string {
  return count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
}
