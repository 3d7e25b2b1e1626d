/**
 * Reading single Datadog values: what counts as missing, ids that must keep every digit, and event times.
 */
import { ValidationError } from '../../errors';
import { exactDigits } from '../../payloads/values';

/** A variable Datadog did not render (`$ALERT_CYCLE_KEY`), or rendered as nothing. */
const UNRENDERED_VARIABLE = /^\$[A-Z0-9_]+$/;
const EMPTY_MARKERS: ReadonlySet<string> = new Set(['', 'null', 'none']);

/** The trimmed text of a value, or null when it is absent, unrendered, `null`, `None` or empty. */
export function presentText(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  if (EMPTY_MARKERS.has(trimmed.toLowerCase()) || UNRENDERED_VARIABLE.test(trimmed)) return null;
  return trimmed;
}

/**
 * An id as text. A template written without quotes sends ids such as $ID as JSON numbers, which JSON.parse
 * has already rounded past 2^53: the exact digits are read back from the JSON text.
 */
export function presentId(
  field: string,
  value: string | number | null | undefined,
  jsonText: string,
): string | null {
  return typeof value === 'number' ? exactDigits(field, value, jsonText) : presentText(value);
}

/** Below this an epoch number is in seconds (1e11 s is the year 5138; 1e11 ms is March 1973). */
const SECONDS_LIMIT = 1e11;
const EPOCH_NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function fromEpoch(field: string, epoch: number): Date {
  if (!Number.isFinite(epoch) || epoch <= 0) throw new ValidationError(field, `is not a date: ${epoch}`);
  const date = new Date(epoch < SECONDS_LIMIT ? epoch * 1000 : epoch);
  if (Number.isNaN(date.getTime())) throw new ValidationError(field, `is out of range: ${epoch}`);
  return date;
}

function fromIso(field: string, text: string): Date {
  const match = ISO_8601.exec(text);
  const hasTime = text.length > 10;
  // A time without a zone is read as UTC, never as the server's local time.
  const zoned = match !== null && hasTime && match[1] === undefined ? `${text}Z` : text;
  const date = match === null ? new Date(Number.NaN) : new Date(zoned.replace(' ', 'T'));
  if (Number.isNaN(date.getTime()))
    throw new ValidationError(field, `is not a date: ${JSON.stringify(text.slice(0, 64))}`);
  return date;
}

/**
 * An event time: epoch milliseconds (Datadog's $DATE, "1718351520000"), epoch seconds, as text or a number,
 * or ISO-8601. Null when missing; a ValidationError naming the field when present but not a date.
 */
export function parseEventTime(field: string, value: string | number | null | undefined): Date | null {
  if (typeof value === 'number') return fromEpoch(field, value);
  const text = presentText(value);
  if (text === null) return null;
  return EPOCH_NUMBER.test(text) ? fromEpoch(field, Number(text)) : fromIso(field, text);
}
