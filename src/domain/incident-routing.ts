/**
 * Decides which incident an alert event belongs to, given the group's current incident (the one that holds
 * the group's `currentKey`: open, or the most recently resolved). Pure: the use-case loads, asks, writes.
 */
import type { AlertTransition } from './alert';
import type { Incident } from './incident';
import { appendAlerts, eventFromAlert, type ReceivedAlert } from './incident-building';
import { compareEvents, isOpening, type ProjectionRules } from './incident-projection';

export interface RoutingRules extends ProjectionRules {
  /** A new trigger within this many seconds after resolution reopens the incident instead of opening another. */
  reopenWindowSeconds: number;
}

export interface RoutedEvent {
  eventId: string;
  transition: AlertTransition;
  at: Date;
}

export type Routing =
  /** Add the event to this incident (it may reopen or resolve it). */
  | { action: 'append'; incident: Incident }
  /** The incident already has this event: nothing to do. */
  | { action: 'duplicate'; incident: Incident }
  /** Open a new incident; first retire the group's current one if there is one. */
  | { action: 'open'; retire: Incident | null }
  /** No incident can take it now (a recovery or warning with nothing open): keep it until one opens. */
  | { action: 'hold'; reason: string };

export function routeEvent(current: Incident | null, event: RoutedEvent, rules: RoutingRules): Routing {
  const opening = isOpening(event.transition, rules);
  if (current === null) {
    return opening
      ? { action: 'open', retire: null }
      : { action: 'hold', reason: 'no incident is open for it' };
  }
  if (current.events.some((e) => e.eventId === event.eventId))
    return { action: 'duplicate', incident: current };
  if (current.status === 'open' || current.resolvedAt === null)
    return { action: 'append', incident: current };

  const sinceResolution = (event.at.getTime() - current.resolvedAt.getTime()) / 1000;
  // Late history of the resolved incident: it belongs there, and the projection settles it by time.
  if (sinceResolution <= 0) return { action: 'append', incident: current };
  if (sinceResolution <= rules.reopenWindowSeconds) return { action: 'append', incident: current };
  return opening
    ? { action: 'open', retire: current }
    : { action: 'hold', reason: 'the incident resolved before it and its reopen window has passed' };
}

/** The earliest held event an incident may take: none from before the reopen window ahead of its detection. */
export function heldEventsSince(detectedAt: Date, rules: RoutingRules): Date {
  return new Date(detectedAt.getTime() - rules.reopenWindowSeconds * 1000);
}

/**
 * The held alerts an incident takes: those the routing appends to it, each routed, oldest first, to the
 * incident as the ones before it left it (and none older than `heldEventsSince` its detection). So an open
 * incident takes them until one resolves it, a resolved one only those up to its reopen window's end, and an
 * alert held past that window stays held for the incident its own trigger opens.
 */
export function heldAlertsJoining(
  incident: Incident,
  held: readonly ReceivedAlert[],
  rules: RoutingRules,
): ReceivedAlert[] {
  const since = heldEventsSince(incident.detectedAt, rules).getTime();
  const oldestFirst = held
    .map((received) => ({ received, event: eventFromAlert(received) }))
    .filter(({ event }) => event.at.getTime() >= since)
    .sort((a, b) => compareEvents(a.event, b.event));
  const taken: ReceivedAlert[] = [];
  let grown = incident;
  for (const { received, event } of oldestFirst) {
    if (routeEvent(grown, event, rules).action !== 'append') continue;
    taken.push(received);
    // Only its routing is read: the time of the change does not matter.
    grown = appendAlerts(grown, [received], rules, grown.updatedAt).next;
  }
  return taken;
}
