/**
 * The Datadog payload fields the adapter reads, and how they are taken out of a request body.
 * Both the integration's default payload and DATADOG_CUSTOM_TEMPLATE are covered; any other key is ignored.
 */
import { z } from 'zod';
import { ValidationError } from '../../errors';

/** The custom payload to paste into the Datadog Webhooks integration: every variable quoted, so ids keep their digits. */
export const DATADOG_CUSTOM_TEMPLATE = JSON.stringify(
  {
    id: '$ID',
    alert_id: '$ALERT_ID',
    alert_transition: '$ALERT_TRANSITION',
    alert_cycle_key: '$ALERT_CYCLE_KEY',
    alert_scope: '$ALERT_SCOPE',
    alert_title: '$ALERT_TITLE',
    alert_priority: '$ALERT_PRIORITY',
    alert_type: '$ALERT_TYPE',
    alert_query: '$ALERT_QUERY',
    alert_status: '$ALERT_STATUS',
    alert_metric: '$ALERT_METRIC',
    event_title: '$EVENT_TITLE',
    event_msg: '$EVENT_MSG',
    event_type: '$EVENT_TYPE',
    date: '$DATE',
    last_updated: '$LAST_UPDATED',
    hostname: '$HOSTNAME',
    tags: '$TAGS',
    link: '$LINK',
    aggreg_key: '$AGGREG_KEY',
    priority: '$PRIORITY',
    org_id: '$ORG_ID',
    org_name: '$ORG_NAME',
  },
  null,
  2,
);

/** Free text. */
const text = z.string().nullish();
/** A value a template may send unquoted (`"date": $DATE`): a string or a JSON number. */
const scalar = z.union([z.string(), z.number()]).nullish();

export const datadogPayloadSchema = z.object({
  id: scalar,
  alert_id: scalar,
  alert_cycle_key: scalar,
  alert_transition: text,
  alert_scope: text,
  alert_title: text,
  alert_type: text,
  alert_query: text,
  alert_priority: scalar,
  priority: scalar,
  hostname: text,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  link: text,
  date: scalar,
  last_updated: scalar,
  event_title: text,
  title: text,
  event_msg: text,
  body: text,
});

export type DatadogPayload = z.infer<typeof datadogPayloadSchema>;
export type DatadogField = keyof DatadogPayload;

const KNOWN_FIELDS = Object.keys(datadogPayloadSchema.shape) as DatadogField[];

export interface ReadPayload {
  payload: DatadogPayload;
  /** The JSON text the payload was parsed from, to recover ids that JSON.parse rounded. */
  jsonText: string;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A form-encoded request whose only field holds the JSON payload (`payload={...}`): that JSON object and its text.
 * Null for any other body, which is then read as it is.
 */
function unwrapSingleJsonField(
  body: Record<string, unknown>,
): { inner: Record<string, unknown>; jsonText: string } | null {
  const keys = Object.keys(body);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || (KNOWN_FIELDS as string[]).includes(key)) return null;
  const only: unknown = Object.getOwnPropertyDescriptor(body, key)?.value;
  if (typeof only !== 'string' || !only.trimStart().startsWith('{')) return null;
  try {
    const inner: unknown = JSON.parse(only);
    return isPlainRecord(inner) ? { inner, jsonText: only } : null;
  } catch {
    return null;
  }
}

/** Copies only the known fields, each an own property, so `__proto__`, `constructor` or `$gt` keys are never read. */
function pickKnownFields(body: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of KNOWN_FIELDS) {
    if (Object.hasOwn(body, field)) picked[field] = Object.getOwnPropertyDescriptor(body, field)?.value;
  }
  return picked;
}

function validate(body: Record<string, unknown>): DatadogPayload {
  const parsed = datadogPayloadSchema.safeParse(pickKnownFields(body));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : 'payload';
  throw new ValidationError(field, `has the wrong type (${issue?.message ?? 'invalid'})`);
}

/** Validates the known fields of a parsed JSON body or a decoded form; throws a ValidationError naming the field. */
export function readDatadogPayload(body: unknown, rawBody: string): ReadPayload {
  if (!isPlainRecord(body)) {
    const kind = Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body;
    throw new ValidationError('payload', `must be a JSON object, got ${kind}`);
  }
  const wrapped = unwrapSingleJsonField(body);
  if (wrapped !== null) return { payload: validate(wrapped.inner), jsonText: wrapped.jsonText };
  return { payload: validate(body), jsonText: rawBody };
}
