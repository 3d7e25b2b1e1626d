/**
 * What the adapter reads of Uptime Kuma's webhook body `{heartbeat, monitor, msg}` (server/notification-providers/
 * webhook.js): the heartbeat's status and time, the monitor's id, name, target and tags. Any other field is
 * ignored; a field read with the wrong type is refused, naming its path. The body comes as JSON (Request Body
 * "application/json") or as the JSON text of the one form field `data` (Request Body "multipart/form-data").
 */
import type { Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import type { SourceContext } from '../source';
import { dedupeLabels, labelsFromPairs, labelsFromTags } from '../../payloads/labels';
import {
  LIMITS,
  field,
  optionalArray,
  optionalRecord,
  optionalText,
  requireRecord,
  type JsonRecord,
} from '../../payloads/values';

export interface KumaNotification {
  heartbeat: JsonRecord | null;
  monitor: JsonRecord | null;
  /** The notification text (`[name] [🔴 Down] msg`), or the test's `<notification name> Testing`. */
  msg: string | null;
}

/** A notification as delivered: its JSON value, and the JSON text it was parsed from. */
export interface KumaDelivery {
  body: unknown;
  /** What the payload hash reads: the JSON body, or the `data` field's text (the same bytes for one event). */
  jsonText: string;
}

/**
 * The notification's JSON, from either body type: a form-data delivery's field `data` holds the JSON the JSON
 * option sends as the body, so hashing that text (not the multipart bytes, whose boundary is random per send)
 * gives one event the same eventId either way.
 */
export function readDelivery(body: unknown, ctx: SourceContext): KumaDelivery {
  const mediaType = (ctx.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') return { body, jsonText: ctx.rawBody };
  const data = field(requireRecord('payload', body), 'data');
  if (data === undefined) throw new ValidationError('data', 'is required (the form field holding the JSON)');
  if (typeof data !== 'string') throw new ValidationError('data', 'must be a string');
  try {
    return { body: JSON.parse(data) as unknown, jsonText: data };
  } catch (error) {
    throw new ValidationError('data', `is not valid JSON (${(error as Error).message})`);
  }
}

export function readNotification(body: unknown): KumaNotification {
  const payload = requireRecord('payload', body);
  return {
    heartbeat: optionalRecord('heartbeat', field(payload, 'heartbeat')),
    monitor: optionalRecord('monitor', field(payload, 'monitor')),
    msg: optionalText('msg', field(payload, 'msg'), LIMITS.message),
  };
}

/** `heartbeat.status` as text: an integer, sent as a number or a digit string. */
export function readStatus(heartbeat: JsonRecord): string {
  const status = optionalText('heartbeat.status', field(heartbeat, 'status'));
  if (status === null) throw new ValidationError('heartbeat.status', 'is required');
  if (!/^\d+$/.test(status)) throw new ValidationError('heartbeat.status', 'must be a status number');
  return status;
}

/** `monitor.tags`: `{name, value}` pairs as Uptime Kuma sends them; a plain `name:value` string is taken too. */
export function readTags(monitor: JsonRecord): Label[] {
  const tags = optionalArray('monitor.tags', field(monitor, 'tags'), LIMITS.labels);
  return dedupeLabels([...labelsFromPairs(tags, 'name', 'value'), ...labelsFromTags(tags)]);
}
