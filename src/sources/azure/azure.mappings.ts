/**
 * Azure Monitor's words, mapped to ours. Lookups go through Maps keyed by a normalized word
 * (`normalizeWord`), so a word from the payload never reaches an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** `essentials.monitorCondition`: `Fired` when the rule's condition is met, `Resolved` when it clears. */
const TRANSITION_BY_CONDITION: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['fired', 'triggered'],
  ['resolved', 'recovered'],
]);

/** `essentials.severity`: `Sev0` is the most severe, `Sev4` the least. */
const SEVERITY_BY_LEVEL: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['sev0', 'P1'],
  ['sev1', 'P2'],
  ['sev2', 'P3'],
  ['sev3', 'P4'],
  ['sev4', 'P5'],
]);

/** The transition a monitor condition names, or null for a word Azure does not document. */
export function transitionFromCondition(condition: string): AlertTransition | null {
  return TRANSITION_BY_CONDITION.get(normalizeWord(condition)) ?? null;
}

/** `Sev0`..`Sev4` (any case) as P1..P5; null when absent (cost alerts send none) or unknown. */
export function severityFromLevel(level: string | null): Severity | null {
  return level === null ? null : (SEVERITY_BY_LEVEL.get(normalizeWord(level)) ?? null);
}
