/**
 * The changes shortly before an incident: the change events of the affected services in the window before
 * detection, newest first, and how the postmortem draft shows them (the timeline's entries, and a part under Root
 * cause asking whether one of them caused it). Events are read in enrichment-change-events.ts and classified in
 * enrichment-change-rules.ts.
 */
import type { DatadogEvent } from './enrichment-change-events';
import { changeKindOf, type ChangeKind } from './enrichment-change-rules';
import { inlineText, markdownLink } from './markdown-text';
import { formatClock, formatDate, formatDateTime, zoneName } from './time-format';

export interface ChangeEvent extends DatadogEvent {
  kind: ChangeKind;
}

export interface ChangeSelection {
  /** The incident's services; an event counts when one of its `service:` tags names one (any case). */
  services: readonly string[];
  detectedAt: Date;
  /** DD_CHANGE_EVENTS_WINDOW_MINUTES: how far before detection to look. */
  windowMinutes: number;
  /** At most this many are listed (default 20). */
  max?: number;
}

export const DEFAULT_MAX_CHANGES = 20;
export const CHANGES_HEADING = '### Changes shortly before';
export const CHANGES_PROMPT = 'Did one of these cause it?';

/**
 * The change events in [detection − window, detection] tagged with one of the services, newest first (ties: by
 * id, then title), one per id (or per time, title and source where there is no id), at most `max`.
 */
export function changesShortlyBefore(
  events: readonly DatadogEvent[],
  selection: ChangeSelection,
): ChangeEvent[] {
  const { detectedAt, windowMinutes } = selection;
  const max = selection.max ?? DEFAULT_MAX_CHANGES;
  const end = detectedAt.getTime();
  const start = end - windowMinutes * 60_000;
  if (!Number.isFinite(start) || !Number.isFinite(end) || windowMinutes < 0 || !(max >= 0))
    throw new RangeError('changes need a valid detection time, a non-negative window and maximum');
  const services = new Set(selection.services.map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
  const changes = events.flatMap((event): ChangeEvent[] => {
    const at = event.at.getTime();
    if (!(at >= start && at <= end) || !event.tags.some((t) => services.has(serviceOf(t) ?? ''))) return [];
    const kind = changeKindOf(event);
    return kind === null ? [] : [{ ...event, tags: [...event.tags], kind }];
  });
  changes.sort(
    (a, b) => b.at.getTime() - a.at.getTime() || compareText(a.id, b.id) || compareText(a.title, b.title),
  );
  const seen = new Set<string>();
  return changes
    .filter((change) => {
      const key = change.id ?? `${change.at.getTime()}|${change.title ?? ''}|${change.source ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, Math.floor(max));
}

/** The value of a `service:` tag, in lower case; null for any other tag. */
function serviceOf(tag: string): string | null {
  const colon = tag.indexOf(':');
  if (colon < 0 || tag.slice(0, colon).trim().toLowerCase() !== 'service') return null;
  return tag
    .slice(colon + 1)
    .trim()
    .toLowerCase();
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The part under Root cause: each change with its time in the zone (with the date when not on the day of
 * detection), its title linked when it has a safe link, and its source; then the question. Null when none.
 */
export function changesShortlyBeforePart(
  changes: readonly Pick<ChangeEvent, 'at' | 'title' | 'url' | 'source' | 'kind'>[],
  display: { timezone: string; detectedAt: Date },
): string | null {
  if (changes.length === 0) return null;
  const day = formatDate(display.detectedAt, display.timezone);
  const lines = changes.map((change) => {
    const { timezone } = display;
    const clock =
      formatDate(change.at, timezone) === day
        ? formatClock(change.at, timezone)
        : formatDateTime(change.at, timezone);
    const title = markdownLink(change.title ?? 'Untitled event', change.url);
    return `- ${clock} ${zoneName(change.at, timezone)}: ${title} (${inlineText(sourceOf(change))})`;
  });
  return [CHANGES_HEADING, lines.join('\n'), `_${CHANGES_PROMPT}_`].join('\n\n');
}

/**
 * The timeline entry's text (plain: the timeline escapes it): `Change (deployment, github): Deployed web 1.4.2`.
 */
export function changeTimelineText(change: Pick<ChangeEvent, 'title' | 'source' | 'kind'>): string {
  const source = change.source === null ? change.kind : `${change.kind}, ${change.source}`;
  return `Change (${source}): ${change.title ?? 'Untitled event'}`;
}

/** `github`, or the kind of change where the event names no source. */
function sourceOf(change: Pick<ChangeEvent, 'source' | 'kind'>): string {
  return change.source ?? change.kind;
}
