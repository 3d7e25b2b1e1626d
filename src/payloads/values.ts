/**
 * Reading a foreign payload safely: own fields only, typed reads that name the field they refuse, text capped
 * to what an incident stores. Every source adapter reads its payload through these.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';

/** Caps on what a sender controls, the same for every source. */
export const LIMITS = {
  title: 500,
  message: 4000,
  /** An id, a key, a label value: anything that is not prose. */
  text: 1000,
  labels: 500,
  /** Alerts in one request (an Alertmanager group, say); more are refused, never silently dropped. */
  alerts: 1000,
} as const;

export type JsonRecord = Readonly<Record<string, unknown>>;

export function capText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max).trimEnd();
}

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An own field of a record: never one inherited from a prototype (`__proto__`, `constructor`). */
export function field(record: JsonRecord, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The value as an object, or a ValidationError naming `path`. */
export function requireRecord(path: string, value: unknown): JsonRecord {
  if (!isRecord(value)) throw new ValidationError(path, 'must be an object');
  return value;
}

/** An optional object: undefined and null give null, anything else not an object is refused. */
export function optionalRecord(path: string, value: unknown): JsonRecord | null {
  return value === undefined || value === null ? null : requireRecord(path, value);
}

/** A list capped at `max` items (more is refused); undefined and null give []. */
export function optionalArray(path: string, value: unknown, max: number = LIMITS.alerts): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError(path, 'must be a list');
  if (value.length > max)
    throw new ValidationError(path, `has ${value.length} items; at most ${max} are taken`);
  return value;
}

/**
 * Text from a string, number or boolean, trimmed and capped; null when absent or empty. Objects and lists are
 * refused, naming `path`.
 */
export function optionalText(path: string, value: unknown, max: number = LIMITS.text): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new ValidationError(path, 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? null : capText(trimmed, max);
}

/** Text that must be present. */
export function requireText(path: string, value: unknown, max: number = LIMITS.text): string {
  const text = optionalText(path, value, max);
  if (text === null) throw new ValidationError(path, 'is required');
  return text;
}

/**
 * An integer as the digits the sender wrote. Past 2^53 JSON.parse has rounded it (a 19-digit id, a nanosecond
 * time), so its digits are read back from the raw JSON text: the number sent as `key` there that parses to the
 * same value. A safe integer, or one not found, is its own text.
 */
export function exactDigits(key: string, value: number, jsonText: string): string {
  if (Number.isSafeInteger(value)) return String(value);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`"${escaped}"\\s*:\\s*(-?\\d+)(?![\\d.eE])`, 'g');
  for (const match of jsonText.matchAll(pattern)) {
    const digits = match[1];
    if (digits !== undefined && Number(digits) === value) return digits;
  }
  return String(value);
}

/** `sha256:<hex>` of the body's bytes: the event id of a source that sends none (the same bytes, one event). */
export function payloadEventId(rawBody: string): string {
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/** A short stable digest of some parts, for keys built from values that may be long. */
export function digestOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** A word normalized for table lookups: lower case, letters and digits only. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Runs an adapter's body: a ValidationError passes through, anything else (a shape nobody foresaw) becomes one
 * naming the payload, so a route never crashes on input.
 */
export function readingPayload<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(
      'payload',
      `could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`,
    );
  }
}
