/**
 * Sentry's words, mapped to ours. Lookups go through Map objects keyed by a normalized word
 * (`normalizeWord`: `metric_alert` -> `metricalert`), so a payload word never reaches a prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** The `Sentry-Hook-Resource` values that carry alerts; `installation`, `error`, `comment`, ... do not. */
export type TrackedResource = 'event_alert' | 'metric_alert' | 'issue';

const TRACKED_RESOURCES: ReadonlyMap<string, TrackedResource> = new Map<string, TrackedResource>([
  ['eventalert', 'event_alert'],
  ['metricalert', 'metric_alert'],
  ['issue', 'issue'],
]);

/** An event's (or an issue's) `level`. */
const SEVERITY_BY_LEVEL: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['fatal', 'P1'],
  ['error', 'P2'],
  ['warning', 'P3'],
  ['info', 'P4'],
  ['debug', 'P5'],
]);

export interface TrackedAction {
  transition: AlertTransition;
  /** The severity the action itself says (a metric alert's `critical`), null when it says none. */
  severity: Severity | null;
}

/** A metric alert's `action`: the status its incident moved to. */
const METRIC_ALERT_ACTIONS: ReadonlyMap<string, TrackedAction> = new Map<string, TrackedAction>([
  ['critical', { transition: 'triggered', severity: 'P1' }],
  ['warning', { transition: 'warn', severity: 'P3' }],
  ['resolved', { transition: 'recovered', severity: null }],
]);

/**
 * The `issue` actions that say something about an alert: a resolved issue is the recovery of the issue alerts
 * it raised (Sentry sends no other), an assignment is someone taking it on. `created`, `unresolved` and
 * `archived` are not tracked: issues open (and regressions reopen) through issue alert rules.
 */
const ISSUE_ACTIONS: ReadonlyMap<string, TrackedAction> = new Map<string, TrackedAction>([
  ['resolved', { transition: 'recovered', severity: null }],
  ['assigned', { transition: 'acknowledged', severity: null }],
]);

export function trackedResource(resource: string): TrackedResource | null {
  return TRACKED_RESOURCES.get(normalizeWord(resource)) ?? null;
}

/** `fatal`..`debug` as P1..P5; null for none or an unknown level. */
export function severityOfLevel(level: string | null): Severity | null {
  return level === null ? null : (SEVERITY_BY_LEVEL.get(normalizeWord(level)) ?? null);
}

export function metricAlertAction(action: string): TrackedAction | null {
  return METRIC_ALERT_ACTIONS.get(normalizeWord(action)) ?? null;
}

export function issueAction(action: string): TrackedAction | null {
  return ISSUE_ACTIONS.get(normalizeWord(action)) ?? null;
}
