/**
 * The strict field readers of the generic format: each takes a field's path (for the error) and its value, and
 * gives the value in the shape GenericAlertInput holds, or a ValidationError naming the path. Unlike the
 * lenient readers in ../shared/values.ts, text fields take strings only: the format is a contract, and a
 * sender that puts a number where a title belongs hears about it.
 */
import type { Label, Severity } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { dedupeLabels } from '../../payloads/labels';
import { LIMITS, capText, optionalArray, optionalRecord } from '../../payloads/values';
import { severityOf } from './generic.words';

/** The longest `link` taken; a longer one is refused rather than cut into a broken URL. */
export const MAX_LINK_LENGTH = 2000;

const absent = (value: unknown): value is null | undefined => value === undefined || value === null;

/** A string, trimmed and capped; null when absent or empty. */
export function readText(path: string, value: unknown, max: number = LIMITS.text): string | null {
  if (absent(value)) return null;
  if (typeof value !== 'string') throw new ValidationError(path, 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? null : capText(trimmed, max);
}

export function requireText(path: string, value: unknown, max: number = LIMITS.text): string {
  const text = readText(path, value, max);
  if (text === null) throw new ValidationError(path, 'is required');
  return text;
}

/** An identifier (`id`, `key`, `alert`, `cycle`): a string, or an integer taken as its digits. */
export function readIdentifier(path: string, value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ValidationError(path, 'must be a string or an integer');
    if (!Number.isSafeInteger(value))
      throw new ValidationError(path, 'is an integer too large to keep its digits: send it as a string');
    return String(value);
  }
  if (!absent(value) && typeof value !== 'string')
    throw new ValidationError(path, 'must be a string or an integer');
  return readText(path, value);
}

export function requireIdentifier(path: string, value: unknown): string {
  const identifier = readIdentifier(path, value);
  if (identifier === null) throw new ValidationError(path, 'is required');
  return identifier;
}

/** `severity`: P1..P5, 1..5 (text or a number), critical, high, medium, low or info; a word we do not know is refused. */
export function readSeverity(path: string, value: unknown): Severity | null {
  if (absent(value)) return null;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new ValidationError(path, 'must be a string or a number');
  const word = String(value).trim();
  if (word === '') return null;
  const severity = severityOf(word);
  if (severity === null)
    throw new ValidationError(
      path,
      `unknown severity ${JSON.stringify(word.slice(0, 64))}: send P1..P5 or critical, high, medium, low, info`,
    );
  return severity;
}

/** A list of strings (`services`, `hosts`), at most LIMITS.labels of them; empty strings are dropped. */
export function readStringList(path: string, value: unknown): string[] {
  const items = optionalArray(path, value, LIMITS.labels);
  const strings: string[] = [];
  items.forEach((item, index) => {
    const text = readText(`${path}[${index}]`, item);
    if (text !== null && !strings.includes(text)) strings.push(text);
  });
  return strings;
}

/** `labels`: an object of strings (numbers and booleans are taken as their text; null is no label). */
export function readLabels(path: string, value: unknown): Label[] {
  const record = optionalRecord(path, value);
  if (record === null) return [];
  const keys = Object.keys(record);
  if (keys.length > LIMITS.labels)
    throw new ValidationError(path, `has ${keys.length} labels; at most ${LIMITS.labels} are taken`);
  return dedupeLabels(
    keys.map((key) => {
      const label = record[key];
      if (absent(label)) return null;
      if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean')
        throw new ValidationError(`${path}.${key.slice(0, 64)}`, 'must be a string');
      const k = capText(key.trim(), LIMITS.text);
      return k === '' ? null : { key: k, value: capText(String(label).trim(), LIMITS.text) };
    }),
  );
}

/** `link`: an absolute http(s) URL, or null. */
export function readLink(path: string, value: unknown): string | null {
  if (typeof value === 'string' && value.trim().length > MAX_LINK_LENGTH)
    throw new ValidationError(path, `is longer than ${MAX_LINK_LENGTH} characters`);
  const text = readText(path, value, MAX_LINK_LENGTH);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(path, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError(path, 'must be an http(s) URL');
  return text;
}

/** `test`: true or false; absent is false. */
export function readFlag(path: string, value: unknown): boolean {
  if (absent(value)) return false;
  if (typeof value !== 'boolean') throw new ValidationError(path, 'must be true or false');
  return value;
}
