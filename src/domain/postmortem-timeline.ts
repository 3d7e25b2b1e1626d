/**
 * The incident's timeline as a postmortem tells it: each entry in words (`Alert triggered on url:/`,
 * `Acknowledged by alice`), with the delivery lag when the monitor's notification arrived late enough to matter.
 */
import type { Incident, TimelineEntry, TimelineKind } from './incident';
import type { PostmortemTimelineEntry } from './postmortem';

/** Entries that stand for a monitor's notification: the only ones that can arrive late. */
const DELIVERED: ReadonlySet<TimelineKind> = new Set([
  'triggered',
  'retriggered',
  'warn',
  'no_data',
  'recovered',
]);

/**
 * A postmortem tells at most this many timeline entries. An incident whose monitor renotified for weeks has
 * tens of thousands, most of them the same notification again: the postmortem keeps its first and last
 * entries, and between them what changed (resolutions, reopenings) and what people did (acknowledgements,
 * notes), and says how many it left out. The incident's page lists them all.
 */
export const POSTMORTEM_TIMELINE_LIMIT = 300;
/** Kept at each end of a long timeline. */
const TIMELINE_ENDS = 100;
const TOLD_ALWAYS: ReadonlySet<TimelineKind> = new Set(['resolved', 'reopened', 'acknowledged', 'note']);

/** The entries a postmortem tells, in order; at most `limit`, the start, the end and what mattered between. */
export function condensedTimeline<T extends Pick<TimelineEntry, 'kind'>>(
  entries: readonly T[],
  limit = POSTMORTEM_TIMELINE_LIMIT,
): { kept: T[]; omitted: number } {
  if (entries.length <= limit) return { kept: [...entries], omitted: 0 };
  const ends = Math.min(TIMELINE_ENDS, Math.floor(limit / 3));
  const keep = new Set<number>();
  for (let i = 0; i < ends; i += 1) keep.add(i).add(entries.length - 1 - i);
  for (let i = ends; i < entries.length - ends && keep.size < limit; i += 1)
    if (TOLD_ALWAYS.has(entries[i]!.kind)) keep.add(i);
  const kept = [...keep].sort((a, b) => a - b).map((i) => entries[i]!);
  return { kept, omitted: entries.length - kept.length };
}

export function postmortemTimeline(
  incident: Incident,
  lagThresholdSeconds: number,
): { entries: PostmortemTimelineEntry[]; omitted: number } {
  const scopes = new Map(incident.alerts.map((a) => [a.key, a.scope]));
  for (const event of incident.events)
    if (!scopes.has(event.alertKey)) scopes.set(event.alertKey, event.scope);
  const { kept, omitted } = condensedTimeline(incident.timeline);
  return {
    omitted,
    entries: kept.map((entry) => ({
      at: entry.at,
      receivedAt: entry.receivedAt,
      kind: entry.kind,
      text: entryText(entry, incident, entry.alertKey === null ? null : (scopes.get(entry.alertKey) ?? null)),
      deliveryLagSeconds: DELIVERED.has(entry.kind) ? deliveryLag(entry, lagThresholdSeconds) : null,
    })),
  };
}

/**
 * Seconds from the monitor's time to Hindsight's receipt, when at least the threshold; null otherwise.
 * Resolutions and reopenings repeat the time of the event that caused them (whose lag is shown there);
 * notes and acknowledgements are people writing, sometimes after the fact, not deliveries.
 */
export function deliveryLag(entry: Pick<TimelineEntry, 'at' | 'receivedAt'>, thresholdSeconds: number) {
  const lag = Math.round((entry.receivedAt.getTime() - entry.at.getTime()) / 1000);
  return lag >= thresholdSeconds ? lag : null;
}

function entryText(entry: TimelineEntry, incident: Incident, scope: string | null): string {
  switch (entry.kind) {
    case 'triggered':
      return scope === null ? 'Alert triggered' : `Alert triggered on ${scope}`;
    case 'retriggered':
      return scope === null ? 'Alert triggered again' : `Alert triggered again on ${scope}`;
    case 'warn':
      return scope === null ? 'Warning' : `Warning on ${scope}`;
    case 'no_data':
      return scope === null ? 'No data' : `No data from ${scope}`;
    case 'recovered':
      return scope === null ? 'Alert recovered' : `${scope} recovered`;
    case 'resolved':
      return 'All alerts recovered: incident resolved';
    case 'reopened':
      return 'Incident reopened';
    case 'acknowledged': {
      const ack = incident.acknowledgements.find((a) => `ack:${a.by}` === entry.key);
      return ack === undefined ? entry.message : `Acknowledged by ${ack.by}`;
    }
    case 'note': {
      const note = incident.notes.find((n) => `note:${n.id}` === entry.key);
      return note === undefined ? `Note by ${entry.message}` : `Note by ${note.author}: ${note.text.trim()}`;
    }
  }
}
