/**
 * PagerDuty's words, mapped to ours. Lookups go through Map objects keyed by a normalized word
 * (`normalizeWord`: `incident.triggered` -> `incidenttriggered`), so a payload word never reaches a prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** What one tracked V3 event type means: our transition, and the verb its timeline message starts with. */
export interface TrackedEventType {
  transition: AlertTransition;
  verb: string;
}

/**
 * The V3 event types that change an incident's alert state (or record someone taking it on). Every other
 * type (`pagey.ping`, `incident.annotated`, `incident.priority_updated`, `service.*`, ...) is not tracked.
 *
 * `incident.unacknowledged` is `retriggered`: PagerDuty sends it when an acknowledgement times out (or is
 * undone) and the incident goes back to triggered, paging its responders again; the alert was firing all
 * along, so it is a re-notification of a firing alert, and an incident Hindsight missed the start of opens.
 * `incident.reopened` is a resolved incident triggered again: `retriggered` too.
 */
const EVENT_TYPES: ReadonlyMap<string, TrackedEventType> = new Map<string, TrackedEventType>([
  ['incidenttriggered', { transition: 'triggered', verb: 'Triggered' }],
  ['incidentacknowledged', { transition: 'acknowledged', verb: 'Acknowledged' }],
  ['incidentunacknowledged', { transition: 'retriggered', verb: 'Unacknowledged' }],
  ['incidentresolved', { transition: 'recovered', verb: 'Resolved' }],
  ['incidentreopened', { transition: 'retriggered', verb: 'Reopened' }],
]);

/** The default names of PagerDuty's priorities (`data.priority.summary`); an account may rename them. */
const SEVERITY_BY_PRIORITY: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['p1', 'P1'],
  ['p2', 'P2'],
  ['p3', 'P3'],
  ['p4', 'P4'],
  ['p5', 'P5'],
]);

/** An incident without a (known) priority still has an urgency. */
const SEVERITY_BY_URGENCY: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['high', 'P2'],
  ['low', 'P4'],
]);

/** The tracked meaning of a V3 event type, or null for one we do not track. */
export function trackedEventType(eventType: string): TrackedEventType | null {
  return EVENT_TYPES.get(normalizeWord(eventType)) ?? null;
}

/** `P1`..`P5` from the priority's name, else `high`/`low` from the urgency, else null. */
export function severityOf(priority: string | null, urgency: string | null): Severity | null {
  const byPriority = priority === null ? undefined : SEVERITY_BY_PRIORITY.get(normalizeWord(priority));
  if (byPriority !== undefined) return byPriority;
  return (urgency === null ? undefined : SEVERITY_BY_URGENCY.get(normalizeWord(urgency))) ?? null;
}
