/**
 * Datadog tags (`$TAGS`: `env:prod, url:https://x.y/z, canary`) and scopes (`host:web-1,env:prod`) as labels.
 */
import type { Label } from '../../domain/alert';
import { dedupeLabels } from '../../payloads/labels';
import { LIMITS } from '../../payloads/values';
import { presentText } from './datadog.values';

export { valuesForKeys } from '../../payloads/labels';

/** `key:value` split at the first `:`; a tag without `:` has the value ''. */
function toLabel(tag: string): Label | null {
  const trimmed = tag.trim().slice(0, LIMITS.text);
  if (trimmed === '') return null;
  const colon = trimmed.indexOf(':');
  if (colon === -1) return { key: trimmed, value: '' };
  const key = trimmed.slice(0, colon).trim();
  return key === '' ? null : { key, value: trimmed.slice(colon + 1).trim() };
}

/** $TAGS as a comma-separated string or a JSON array of strings; unrendered or empty gives []. */
export function parseTags(tags: string | string[] | null | undefined): Label[] {
  if (tags === null || tags === undefined) return [];
  if (Array.isArray(tags)) return dedupeLabels(tags.slice(0, LIMITS.labels * 2).map(toLabel));
  const text = presentText(tags);
  if (text === null) return [];
  return dedupeLabels(text.split(',', LIMITS.labels * 2).map(toLabel));
}

/**
 * A scope in one canonical form: parts trimmed, deduplicated, sorted, joined by `,`.
 * `*` (a simple monitor) and an empty scope are no scope.
 */
export function normalizeScope(scope: string | null): string | null {
  const text = presentText(scope);
  if (text === null) return null;
  const parts = [...new Set(text.split(',').map((part) => part.trim()))].filter(
    (part) => part !== '' && part !== '*',
  );
  return parts.length === 0 ? null : parts.sort().join(',');
}

export function scopeLabels(scope: string | null): Label[] {
  return scope === null ? [] : dedupeLabels(scope.split(',').map(toLabel));
}
