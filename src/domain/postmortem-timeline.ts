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

export function postmortemTimeline(
  incident: Incident,
  lagThresholdSeconds: number,
): PostmortemTimelineEntry[] {
  const scopes = new Map(incident.alerts.map((a) => [a.key, a.scope]));
  for (const event of incident.events)
    if (!scopes.has(event.alertKey)) scopes.set(event.alertKey, event.scope);
  return incident.timeline.map((entry) => ({
    at: entry.at,
    receivedAt: entry.receivedAt,
    kind: entry.kind,
    text: entryText(entry, incident, entry.alertKey === null ? null : (scopes.get(entry.alertKey) ?? null)),
    deliveryLagSeconds: DELIVERED.has(entry.kind) ? deliveryLag(entry, lagThresholdSeconds) : null,
  }));
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
