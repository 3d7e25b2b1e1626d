/**
 * What the adapter reads of Uptime Kuma's webhook body `{heartbeat, monitor, msg}` (server/notification-providers/
 * webhook.js): the heartbeat's status and time, the monitor's id, name, target and tags. Any other field is
 * ignored; a field read with the wrong type is refused, naming its path.
 */
import type { Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
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
