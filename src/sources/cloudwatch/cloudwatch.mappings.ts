/**
 * CloudWatch's words -> Hindsight's: the alarm states, and the severity markers a team may write into an alarm's
 * name or description (CloudWatch itself has no severity). Tables are keyed by normalizeWord.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** NewStateValue: only OK recovers; INSUFFICIENT_DATA is the metric going quiet, not the alarm clearing. */
const TRANSITIONS: ReadonlyMap<string, AlertTransition> = new Map([
  ['alarm', 'triggered'],
  ['ok', 'recovered'],
  ['insufficientdata', 'no_data'],
]);

export function transitionFromState(state: string): AlertTransition | null {
  return TRANSITIONS.get(normalizeWord(state)) ?? null;
}

/** The word after `severity:` (or `severity=`). */
const SEVERITY_WORDS: ReadonlyMap<string, Severity> = new Map([
  ['p1', 'P1'],
  ['p2', 'P2'],
  ['p3', 'P3'],
  ['p4', 'P4'],
  ['p5', 'P5'],
  ['critical', 'P1'],
  ['high', 'P2'],
  ['major', 'P2'],
  ['medium', 'P3'],
  ['warning', 'P3'],
  ['minor', 'P4'],
  ['low', 'P4'],
  ['info', 'P5'],
]);

/** `P1-prod-api-5xx`, `[P2] Disk full`, `p3 latency`: a P1..P5 token at the very start. */
const LEADING_PRIORITY = /^\[?P([1-5])\]?(?![a-z0-9])/i;
/** `severity:critical`, `Severity = high`, anywhere, as a word of its own. */
const SEVERITY_TAG = /(?:^|[^a-z0-9])severity\s*[:=]\s*([a-z0-9]+)/i;

function severityIn(text: string): Severity | null {
  const leading = LEADING_PRIORITY.exec(text);
  if (leading !== null) return `P${leading[1]!}` as Severity;
  const tag = SEVERITY_TAG.exec(text);
  return tag === null ? null : (SEVERITY_WORDS.get(normalizeWord(tag[1]!)) ?? null);
}

/**
 * The severity a team wrote into the alarm: in each text in turn (the alarm's name, then its description), a
 * leading P1..P5 token, else a `severity:<word>` marker; null when none says one.
 */
export function severityFromMarkers(texts: readonly (string | null)[]): Severity | null {
  for (const text of texts) {
    const severity = text === null ? null : severityIn(text);
    if (severity !== null) return severity;
  }
  return null;
}
