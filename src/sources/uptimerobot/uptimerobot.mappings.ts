/**
 * UptimeRobot's alert types, mapped to ours. `*alertType*` is a number (1 down, 2 up, 3 SSL expiry);
 * `*alertTypeFriendlyName*` its word. Both are looked up in one table keyed by a normalized word, so a word
 * from the payload never reaches an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

export interface AlertKind {
  /** UptimeRobot's number for it, the same whichever of the two fields named it. */
  code: '1' | '2' | '3';
  transition: AlertTransition;
  /** A down monitor is P2; a certificate about to expire is P4. */
  severity: Severity;
  /** The alert inside the monitor's incident: the monitor's up/down state (`*`), or its certificate. */
  alertPart: '*' | 'ssl-expiry';
}

const DOWN: AlertKind = { code: '1', transition: 'triggered', severity: 'P2', alertPart: '*' };
const UP: AlertKind = { code: '2', transition: 'recovered', severity: 'P2', alertPart: '*' };
const SSL_EXPIRY: AlertKind = { code: '3', transition: 'warn', severity: 'P4', alertPart: 'ssl-expiry' };

const KIND_BY_WORD: ReadonlyMap<string, AlertKind> = new Map<string, AlertKind>([
  ['1', DOWN],
  ['down', DOWN],
  ['2', UP],
  ['up', UP],
  ['3', SSL_EXPIRY],
  ['ssl', SSL_EXPIRY],
  ['sslexpiry', SSL_EXPIRY],
  ['sslexpiration', SSL_EXPIRY],
]);

/** The kind an alert type number or friendly name names, or null for one we do not track. */
export function alertKindOf(word: string): AlertKind | null {
  return KIND_BY_WORD.get(normalizeWord(word)) ?? null;
}
