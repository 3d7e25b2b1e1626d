/**
 * Reading the parts every Sentry webhook shares: which resource it is about, its tags, links and names,
 * and the one time an `issue` webhook carries (its `Sentry-Hook-Timestamp`, the second Sentry sent it).
 */
import type { Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { labelsFromPairs } from '../../payloads/labels';
import {
  LIMITS,
  field,
  isRecord,
  optionalArray,
  optionalRecord,
  optionalText,
  type JsonRecord,
} from '../../payloads/values';
import type { SourceContext } from '../source';

export const RESOURCE_HEADER = 'Sentry-Hook-Resource';
export const TIMESTAMP_HEADER = 'Sentry-Hook-Timestamp';

/**
 * The `Sentry-Hook-Resource` header; without it (a hand-made request), the resource its `data` is about:
 * `metric_alert`, `event` (an issue alert) or `issue`.
 */
export function resourceOf(root: JsonRecord, ctx: SourceContext): string {
  const sent = optionalText(RESOURCE_HEADER, ctx.header(RESOURCE_HEADER));
  if (sent !== null) return sent;
  const data = optionalRecord('data', field(root, 'data'));
  if (data !== null && field(data, 'metric_alert') !== undefined) return 'metric_alert';
  if (data !== null && field(data, 'event') !== undefined) return 'event_alert';
  if (data !== null && field(data, 'issue') !== undefined) return 'issue';
  throw new ValidationError(RESOURCE_HEADER, 'is required (event_alert, metric_alert, issue, ...)');
}

/** An event's tags: `[["level", "error"], ...]` pairs, as Sentry sends them, or `{key, value}` objects. */
export function tagsOf(path: string, value: unknown): Label[] {
  const pairs = optionalArray(path, value, LIMITS.labels).map((item, i) => {
    if (Array.isArray(item)) return { key: item[0] as unknown, value: item[1] as unknown };
    if (isRecord(item)) return item;
    throw new ValidationError(`${path}[${i}]`, 'must be a [key, value] pair');
  });
  return labelsFromPairs(pairs, 'key', 'value');
}

/** The value of the first tag named `key`, or null. */
export function tagValue(tags: readonly Label[], key: string): string | null {
  return tags.find((tag) => tag.key === key)?.value ?? null;
}

/** Names from a list of project slugs (`["backend"]`). */
export function namesOf(path: string, value: unknown): string[] {
  return optionalArray(path, value, LIMITS.labels)
    .map((item, i) => optionalText(`${path}[${i}]`, item))
    .filter((name) => name !== null);
}

/** The `name` (else `email`) of a person object such as `actor` or `assignedTo`; null when none. */
export function personName(path: string, value: unknown): string | null {
  const person = optionalRecord(path, value);
  if (person === null) return null;
  return (
    optionalText(`${path}.name`, field(person, 'name')) ??
    optionalText(`${path}.email`, field(person, 'email'))
  );
}

/** The send time, as an event-time candidate: Sentry's webhooks about issues carry no time of their own. */
export function sentTimeOf(ctx: SourceContext): readonly [string, unknown] {
  return [TIMESTAMP_HEADER, ctx.header(TIMESTAMP_HEADER)];
}
