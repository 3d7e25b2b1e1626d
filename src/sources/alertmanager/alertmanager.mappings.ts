/**
 * The words of the Alertmanager shape, mapped to ours; Grafana Alerting writes the same ones. Lookups go through
 * Map objects keyed by a normalized word, so a word from a payload can never reach an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** An alert's (or a group's) `status`. */
const TRANSITION_BY_STATUS: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['firing', 'triggered'],
  ['resolved', 'recovered'],
]);

/** The `severity` label's usual words (Prometheus rules, kube-prometheus, Grafana), and p1..p5. */
const SEVERITY_BY_WORD: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'P1'],
  ['error', 'P2'],
  ['high', 'P2'],
  ['warning', 'P3'],
  ['warn', 'P3'],
  ['major', 'P3'],
  ['info', 'P4'],
  ['minor', 'P4'],
  ['low', 'P4'],
  ['none', 'P5'],
  ['debug', 'P5'],
  ['p1', 'P1'],
  ['p2', 'P2'],
  ['p3', 'P3'],
  ['p4', 'P4'],
  ['p5', 'P5'],
]);

/** `firing` -> triggered, `resolved` -> recovered (any case); null for any other word. */
export function transitionFromStatus(status: string): AlertTransition | null {
  return TRANSITION_BY_STATUS.get(normalizeWord(status)) ?? null;
}

/** The severity a `severity` label names, or null for a word we do not know. */
export function severityFromLabel(severity: string): Severity | null {
  return SEVERITY_BY_WORD.get(normalizeWord(severity)) ?? null;
}
