/**
 * New Relic's words, mapped to ours. Lookups go through Map objects keyed by a normalized word
 * (`normalizeWord`: `USER_ACTION` -> `useraction`), so a payload word never reaches a prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** What an issue notification can say happened. */
export type IssueTransition = Extract<AlertTransition, 'triggered' | 'acknowledged' | 'recovered'>;

/**
 * An issue's `state`. `CREATED` is an issue whose first incident has opened but which is not yet activated
 * (a workflow may notify on it); it is firing all the same. `ACKNOWLEDGED` records someone taking it on.
 */
const TRANSITION_BY_STATE: ReadonlyMap<string, IssueTransition> = new Map<string, IssueTransition>([
  ['created', 'triggered'],
  ['activated', 'triggered'],
  ['acknowledged', 'acknowledged'],
  ['closed', 'recovered'],
]);

/**
 * The `trigger` (`{{ triggerEvent }}`) of an acknowledgement: New Relic sends an issue acknowledged in its
 * UI with `state: ACTIVATED` and `trigger: USER_ACTION` (the state only turns `ACKNOWLEDGED` in some
 * templates), so on an activated issue this trigger is the acknowledgement.
 */
const ACKNOWLEDGING_TRIGGERS: ReadonlySet<string> = new Set(['useraction']);

const SEVERITY_BY_PRIORITY: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'P1'],
  ['high', 'P2'],
  ['medium', 'P3'],
  ['low', 'P4'],
]);

export interface DecidedTransition {
  transition: IssueTransition;
  /** The word that decided it, as sent: the state, or the trigger of an acknowledgement. */
  raw: string;
}

/** What an issue's state (and, for an activated issue, its trigger) says happened; null for an unknown state. */
export function transitionOf(state: string, trigger: string | null): DecidedTransition | null {
  const transition = TRANSITION_BY_STATE.get(normalizeWord(state));
  if (transition === undefined) return null;
  if (
    trigger !== null &&
    normalizeWord(state) === 'activated' &&
    ACKNOWLEDGING_TRIGGERS.has(normalizeWord(trigger))
  )
    return { transition: 'acknowledged', raw: trigger };
  return { transition, raw: state };
}

/** `CRITICAL`..`LOW` as P1..P4; null for none or an unknown word. */
export function severityOf(priority: string | null): Severity | null {
  return priority === null ? null : (SEVERITY_BY_PRIORITY.get(normalizeWord(priority)) ?? null);
}
