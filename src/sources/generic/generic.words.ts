/**
 * The words of Hindsight's generic alert format: statuses and severities, each table keyed by a normalized word
 * (`normalizeWord`: lower case, letters and digits only), so `No_Data`, `no-data` and `NODATA` are one word and
 * a payload's word can never reach an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** `status`: the documented words first, then the synonyms other tools use. */
export const GENERIC_STATUS_BY_WORD: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['triggered', 'triggered'],
  ['firing', 'triggered'],
  ['problem', 'triggered'],
  ['alerting', 'triggered'],
  ['down', 'triggered'],
  ['retriggered', 'retriggered'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['nodata', 'no_data'],
  ['recovered', 'recovered'],
  ['resolved', 'recovered'],
  ['ok', 'recovered'],
  ['up', 'recovered'],
  ['acknowledged', 'acknowledged'],
  ['ack', 'acknowledged'],
]);

/** `severity`: P1..P5, 1..5, or a word. */
export const GENERIC_SEVERITY_BY_WORD: ReadonlyMap<string, Severity> = new Map<string, Severity>([
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
  ['critical', 'P1'],
  ['high', 'P2'],
  ['medium', 'P3'],
  ['low', 'P4'],
  ['info', 'P5'],
]);

/** What a mapping's statusMap may turn a word into: a transition, or `ignore` (the alert is not recorded). */
export type StatusMeaning = AlertTransition | 'ignore';

/** A mapping's own status words (already normalized), looked up before the generic table. */
export type StatusWords = ReadonlyMap<string, StatusMeaning>;

/** The meaning of a status word: the mapping's words first, then the generic table; null when neither knows it. */
export function statusMeaningOf(word: string, ownWords: StatusWords = new Map()): StatusMeaning | null {
  const normalized = normalizeWord(word);
  return ownWords.get(normalized) ?? GENERIC_STATUS_BY_WORD.get(normalized) ?? null;
}

export function severityOf(word: string): Severity | null {
  return GENERIC_SEVERITY_BY_WORD.get(normalizeWord(word)) ?? null;
}
