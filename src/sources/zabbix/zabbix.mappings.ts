/**
 * Zabbix's values, mapped to ours: {EVENT.VALUE} (1 problem, 0 recovery), {EVENT.NSEVERITY} (0 Not classified
 * .. 5 Disaster) and, when that is not sent, {EVENT.SEVERITY}'s default names; {EVENT.UPDATE.ACTION}'s words.
 * Lookups go through Maps keyed by a normalized word, so a payload word never reaches an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

export interface ValueTransition {
  transition: AlertTransition;
  /** Zabbix's name for the notification: a problem's operations, or the recovery operations. */
  raw: string;
}

const TRANSITION_BY_VALUE: ReadonlyMap<string, ValueTransition> = new Map<string, ValueTransition>([
  ['1', { transition: 'triggered', raw: 'problem' }],
  ['0', { transition: 'recovered', raw: 'recovery' }],
]);

/** Not classified is a severity Zabbix has, and it says nothing: null, and no other field is asked. */
const SEVERITY_BY_NSEVERITY: ReadonlyMap<string, Severity | null> = new Map<string, Severity | null>([
  ['0', null],
  ['1', 'P5'],
  ['2', 'P4'],
  ['3', 'P3'],
  ['4', 'P2'],
  ['5', 'P1'],
]);

const SEVERITY_BY_NAME: ReadonlyMap<string, Severity | null> = new Map<string, Severity | null>([
  ['notclassified', null],
  ['information', 'P5'],
  ['warning', 'P4'],
  ['average', 'P3'],
  ['high', 'P2'],
  ['disaster', 'P1'],
]);

export function transitionOfValue(value: string): ValueTransition | null {
  return TRANSITION_BY_VALUE.get(value) ?? null;
}

/** {EVENT.NSEVERITY} when it is 0..5; else {EVENT.SEVERITY} when it is one of the default names; else null. */
export function severityOf(nseverity: string | null, name: string | null): Severity | null {
  if (nseverity !== null && SEVERITY_BY_NSEVERITY.has(nseverity))
    return SEVERITY_BY_NSEVERITY.get(nseverity) ?? null;
  const word = name === null ? '' : normalizeWord(name);
  return SEVERITY_BY_NAME.get(word) ?? null;
}

/**
 * Whether a problem update acknowledged the problem. {EVENT.UPDATE.ACTION} names each action of the update
 * (`acknowledged`, `commented`, `changed severity from ...`, `unacknowledged`, `closed`), joined by commas or
 * "and"; only the exact word `acknowledged` counts.
 */
export function isAcknowledgement(action: string): boolean {
  return action.split(/,|\band\b/).some((part) => normalizeWord(part) === 'acknowledged');
}
