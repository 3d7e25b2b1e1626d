/** Labels and tags of any source as `{key, value}` pairs, deduplicated and capped, and the values of chosen keys. */
import type { Label } from '../domain/alert';
import { LIMITS, capText, isRecord } from './values';

export function dedupeLabels(labels: Iterable<Label | null>): Label[] {
  const seen = new Set<string>();
  const unique: Label[] = [];
  for (const label of labels) {
    if (label === null) continue;
    const identity = `${label.key}\u0000${label.value}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    unique.push(label);
    if (unique.length >= LIMITS.labels) break;
  }
  return unique;
}

function labelOf(key: string, value: unknown): Label | null {
  const k = capText(key.trim(), LIMITS.text);
  if (k === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { key: k, value: capText(String(value).trim(), LIMITS.text) };
  return null;
}

/** An object of labels (`{"service": "checkout"}`): own entries with scalar values; anything else gives []. */
export function labelsFromObject(value: unknown): Label[] {
  if (!isRecord(value)) return [];
  return dedupeLabels(
    Object.keys(value)
      .slice(0, LIMITS.labels * 2)
      .map((key) => labelOf(key, value[key])),
  );
}

/** `key:value` tags (`env:prod`, `canary`), split at the first `:`; a tag without one has the value ''. */
export function labelsFromTags(tags: readonly unknown[]): Label[] {
  return dedupeLabels(
    tags.slice(0, LIMITS.labels * 2).map((tag) => {
      if (typeof tag !== 'string') return null;
      const colon = tag.indexOf(':');
      return colon === -1 ? labelOf(tag, '') : labelOf(tag.slice(0, colon), tag.slice(colon + 1));
    }),
  );
}

/** Name/value pairs (`[{"tag": "service", "value": "x"}]`, Zabbix's and New Relic's shape). */
export function labelsFromPairs(pairs: readonly unknown[], keyField: string, valueField: string): Label[] {
  return dedupeLabels(
    pairs.slice(0, LIMITS.labels * 2).map((pair) => {
      if (!isRecord(pair)) return null;
      const key = Object.prototype.hasOwnProperty.call(pair, keyField) ? pair[keyField] : undefined;
      const value = Object.prototype.hasOwnProperty.call(pair, valueField) ? pair[valueField] : '';
      return typeof key === 'string' ? labelOf(key, value ?? '') : null;
    }),
  );
}

/** The non-empty values of the labels whose key is one of `keys`, deduplicated, in order of appearance. */
export function valuesForKeys(labels: readonly Label[], keys: readonly string[]): string[] {
  const values = labels.filter((label) => keys.includes(label.key) && label.value !== '').map((l) => l.value);
  return [...new Set(values)];
}

/** Distinct non-empty strings, in order. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const value of values)
    if (value !== null && value !== undefined && value !== '' && !out.includes(value)) out.push(value);
  return out;
}
