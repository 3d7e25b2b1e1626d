/**
 * Projects an incident's state from its alert events. Pure and deterministic: the same set of events gives
 * the same state and the same timeline, whatever order they arrived in and however often one was delivered.
 */
import type { AlertTransition } from './alert';
import type {
  AlertStatus,
  EventOrder,
  IncidentAlert,
  IncidentEvent,
  IncidentProjection,
  TimelineEntry,
  TimelineKind,
} from './incident';

/**
 * An incident lists at most this many of its alerts (the first to fire, in the monitor's time); `alertCount`
 * says how many it has. A monitor over 10,000 hosts makes one incident, not a document MongoDB cannot store.
 */
export const INCIDENT_ALERT_LIMIT = 500;

export interface ProjectionRules {
  /** Transitions that make an alert fire (and so keep its incident open); `triggered` and `retriggered` always do. */
  openingTransitions: ReadonlySet<AlertTransition>;
}

const STATUS_OF: Record<Exclude<AlertTransition, 'acknowledged'>, AlertStatus> = {
  triggered: 'triggered',
  retriggered: 'triggered',
  warn: 'warn',
  no_data: 'no_data',
  recovered: 'recovered',
};

/** The monitor's time first; then arrival; then the id, so that ties still sort the same everywhere. */
export function compareEvents(a: EventOrder, b: EventOrder): number {
  return (
    a.at.getTime() - b.at.getTime() ||
    a.receivedAt.getTime() - b.receivedAt.getTime() ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

export function isOpening(transition: AlertTransition, rules: ProjectionRules): boolean {
  return (
    transition === 'triggered' || transition === 'retriggered' || rules.openingTransitions.has(transition)
  );
}

interface AlertState extends IncidentAlert {
  /** Fired since its last recovery: a Warn after a Trigger does not end the firing, only Recovered does. */
  firing: boolean;
}

/** Where a projection stands after some events, sorted: what the next event is applied to. */
interface ProjectionState {
  alerts: Map<string, AlertState>;
  open: boolean;
  everOpened: boolean;
  /** When it first opened; null while it never has. */
  detectedAt: Date | null;
  /** When it last resolved; null while open or never opened. */
  resolvedAt: Date | null;
  resolutionCount: number;
  /** The monitor's time of its first event (the span of an incident that never fired starts there). */
  firstAt: Date;
  last: EventOrder;
  /** The entries of the events applied from this state (all of them, for a projection from the first event). */
  timeline: TimelineEntry[];
}

export function projectIncident(
  events: readonly IncidentEvent[],
  rules: ProjectionRules,
): IncidentProjection {
  if (events.length === 0) throw new Error('an incident has at least one event');
  const sorted = [...events].sort(compareEvents);
  const first = sorted[0]!;
  const state: ProjectionState = {
    alerts: new Map(),
    open: false,
    everOpened: false,
    detectedAt: null,
    resolvedAt: null,
    resolutionCount: 0,
    firstAt: first.at,
    last: orderOf(first),
    timeline: [],
  };
  for (const event of sorted) applyEvent(state, event, rules);
  return projectionOf(state);
}

/**
 * Whether the projection can be advanced by these events without its earlier ones: it lists every alert with
 * its firing state (an incident over INCIDENT_ALERT_LIMIT alerts does not), and each event sorts after its last.
 */
export function canAdvance(projection: IncidentProjection, events: readonly IncidentEvent[]): boolean {
  const { lastEvent, firingAlerts } = projection;
  return (
    lastEvent !== undefined &&
    firingAlerts !== undefined &&
    projection.alerts.length === projection.alertCount &&
    events.every((event) => compareEvents(lastEvent, event) < 0)
  );
}

/**
 * The projection of the incident's events and these later ones, from the projection alone (see canAdvance):
 * what projectIncident gives for all of them, but with a timeline of the new events' entries only. So a change
 * to an incident of 10,000 events costs what a change to one of ten does.
 */
export function advanceProjection(
  projection: IncidentProjection,
  events: readonly IncidentEvent[],
  rules: ProjectionRules,
): IncidentProjection {
  if (!canAdvance(projection, events))
    throw new Error('this projection cannot be advanced by these events: project all of them');
  const firing = new Set(projection.firingAlerts);
  const open = projection.status === 'open';
  const everOpened = open || projection.resolutionCount > 0;
  const state: ProjectionState = {
    alerts: new Map(projection.alerts.map((a, i) => [a.key, { ...a, firing: firing.has(i) }])),
    open,
    everOpened,
    detectedAt: everOpened ? projection.detectedAt : null,
    resolvedAt: everOpened && !open ? projection.resolvedAt : null,
    resolutionCount: projection.resolutionCount,
    // Only read while it never opened, when its detection time is its first event's.
    firstAt: projection.detectedAt,
    last: projection.lastEvent!,
    timeline: [],
  };
  for (const event of [...events].sort(compareEvents)) applyEvent(state, event, rules);
  return projectionOf(state);
}

function applyEvent(state: ProjectionState, event: IncidentEvent, rules: ProjectionRules): void {
  state.last = orderOf(event);
  state.timeline.push(entryFor(event, event.transition, `event:${event.eventId}`, event.message));
  // An acknowledgement at the source changes no alert's state, and makes no alert of its own.
  if (event.transition === 'acknowledged') return;
  const alert = state.alerts.get(event.alertKey) ?? newAlertState(event);
  state.alerts.set(event.alertKey, alert);
  applyTransition(alert, event, event.transition, rules);

  const firing = [...state.alerts.values()].some((a) => a.firing);
  if (firing && !state.open) {
    if (state.everOpened)
      state.timeline.push(entryFor(event, 'reopened', `reopened:${event.eventId}`, 'Incident reopened'));
    state.open = true;
    state.everOpened = true;
    state.detectedAt ??= event.at;
    state.resolvedAt = null;
  } else if (!firing && state.open) {
    state.open = false;
    state.resolvedAt = event.at;
    state.resolutionCount += 1;
    state.timeline.push(entryFor(event, 'resolved', `resolved:${event.eventId}`, 'All alerts recovered'));
  }
}

function projectionOf(state: ProjectionState): IncidentProjection {
  // An incident whose events never fired (a recovery whose trigger was never seen) spans its own events.
  const start = state.detectedAt ?? state.firstAt;
  const end = state.open ? null : (state.resolvedAt ?? state.last.at);
  const listed = [...state.alerts.values()].slice(0, INCIDENT_ALERT_LIMIT);
  return {
    status: state.open ? 'open' : 'resolved',
    alerts: listed.map(({ firing: _firing, ...alert }) => alert),
    alertCount: state.alerts.size,
    detectedAt: start,
    resolvedAt: end,
    durationSeconds: end === null ? null : Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)),
    timeline: state.timeline,
    resolutionCount: state.resolutionCount,
    firingAlerts: listed.flatMap((alert, i) => (alert.firing ? [i] : [])),
    lastEvent: state.last,
  };
}

function orderOf(event: EventOrder): EventOrder {
  return { at: event.at, receivedAt: event.receivedAt, eventId: event.eventId };
}

function newAlertState(event: IncidentEvent): AlertState {
  return {
    key: event.alertKey,
    scope: event.scope,
    status: 'recovered',
    triggeredAt: null,
    recoveredAt: null,
    firing: false,
  };
}

function applyTransition(
  alert: AlertState,
  event: IncidentEvent,
  transition: Exclude<AlertTransition, 'acknowledged'>,
  rules: ProjectionRules,
): void {
  alert.scope ??= event.scope;
  if (transition === 'recovered') {
    if (alert.firing || alert.recoveredAt === null) alert.recoveredAt = event.at;
    alert.firing = false;
    alert.status = 'recovered';
    return;
  }
  if (isOpening(transition, rules) && !alert.firing) {
    alert.firing = true;
    alert.triggeredAt = event.at;
    alert.recoveredAt = null;
  }
  alert.status = STATUS_OF[transition];
  if (!alert.firing) alert.recoveredAt = null;
}

function entryFor(event: IncidentEvent, kind: TimelineKind, key: string, message: string): TimelineEntry {
  return { key, at: event.at, receivedAt: event.receivedAt, kind, alertKey: event.alertKey, message };
}
