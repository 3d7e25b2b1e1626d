/**
 * Datadog's words, mapped to ours. Lookups go through Map objects keyed by a normalized word,
 * so a word from the payload can never reach an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';

/** `Re-Triggered`, `re triggered`, `RETRIGGERED` all become `retriggered`: lower case, letters only. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** $ALERT_TRANSITION values and the transition words of an event title (`[Re-No Data on {...}]`). */
const TRANSITION_BY_WORD: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['triggered', 'triggered'],
  ['retriggered', 'retriggered'],
  ['renotify', 'retriggered'],
  ['warn', 'warn'],
  ['rewarn', 'warn'],
  ['nodata', 'no_data'],
  ['renodata', 'no_data'],
  ['recovered', 'recovered'],
]);

/** $ALERT_TYPE, the last resort when neither $ALERT_TRANSITION nor the title says what happened. */
const TRANSITION_BY_ALERT_TYPE: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['error', 'triggered'],
  ['warning', 'warn'],
  ['success', 'recovered'],
]);

const SEVERITY_BY_WORD: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['p1', 'P1'],
  ['p2', 'P2'],
  ['p3', 'P3'],
  ['p4', 'P4'],
  ['p5', 'P5'],
  ['1', 'P1'],
  ['2', 'P2'],
  ['3', 'P3'],
  ['4', 'P4'],
  ['5', 'P5'],
]);

/** The transition a Datadog transition word names, or null for a word we do not know. */
export function transitionFromWord(word: string): AlertTransition | null {
  return TRANSITION_BY_WORD.get(normalizeWord(word)) ?? null;
}

export function transitionFromAlertType(alertType: string): AlertTransition | null {
  return TRANSITION_BY_ALERT_TYPE.get(normalizeWord(alertType)) ?? null;
}

/** `P1`..`P5` (any case) or a bare `1`..`5`; anything else (`normal`, `low`) is not a severity. */
export function severityFromPriority(priority: string): Severity | null {
  return SEVERITY_BY_WORD.get(priority.trim().toLowerCase()) ?? null;
}
