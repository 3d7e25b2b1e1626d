/**
 * Projects an incident's state from its alert events. Pure and deterministic: the same set of events gives
 * the same state and the same timeline, whatever order they arrived in and however often one was delivered.
 */
import type { AlertTransition } from './alert';
import type {
  AlertStatus,
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
export function compareEvents(a: IncidentEvent, b: IncidentEvent): number {
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

export function projectIncident(
  events: readonly IncidentEvent[],
  rules: ProjectionRules,
): IncidentProjection {
  if (events.length === 0) throw new Error('an incident has at least one event');
  const sorted = [...events].sort(compareEvents);
  const alerts = new Map<string, AlertState>();
  const timeline: TimelineEntry[] = [];
  let open = false;
  let everOpened = false;
  let detectedAt: Date | null = null;
  let resolvedAt: Date | null = null;
  let resolutionCount = 0;

  for (const event of sorted) {
    timeline.push(entryFor(event, event.transition, `event:${event.eventId}`, event.message));
    // An acknowledgement at the source changes no alert's state, and makes no alert of its own.
    if (event.transition === 'acknowledged') continue;
    const alert = alerts.get(event.alertKey) ?? newAlertState(event);
    alerts.set(event.alertKey, alert);
    applyTransition(alert, event, event.transition, rules);

    const firing = [...alerts.values()].some((a) => a.firing);
    if (firing && !open) {
      if (everOpened)
        timeline.push(entryFor(event, 'reopened', `reopened:${event.eventId}`, 'Incident reopened'));
      open = true;
      everOpened = true;
      detectedAt ??= event.at;
      resolvedAt = null;
    } else if (!firing && open) {
      open = false;
      resolvedAt = event.at;
      resolutionCount += 1;
      timeline.push(entryFor(event, 'resolved', `resolved:${event.eventId}`, 'All alerts recovered'));
    }
  }

  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  // An incident whose events never fired (a recovery whose trigger was never seen) spans its own events.
  const start = detectedAt ?? first.at;
  const end = open ? null : (resolvedAt ?? last.at);
  return {
    status: open ? 'open' : 'resolved',
    alerts: [...alerts.values()].slice(0, INCIDENT_ALERT_LIMIT).map(({ firing: _firing, ...alert }) => alert),
    alertCount: alerts.size,
    detectedAt: start,
    resolvedAt: end,
    durationSeconds: end === null ? null : Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)),
    timeline,
    resolutionCount,
  };
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
