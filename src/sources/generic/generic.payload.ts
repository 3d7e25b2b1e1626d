/**
 * Hindsight's generic alert format, read into plain GenericAlertInput values: one alert object, or
 * `{ "alerts": [ ... ] }`. The same field rules serve the mapped endpoints (mapping.ts), whose fields come from
 * CEL expressions instead of a JSON object: both go through readGenericAlert.
 */
import type { AlertTransition, Label, Severity } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { parseTime } from '../../payloads/times';
import { LIMITS, field, optionalArray, requireRecord, type JsonRecord } from '../../payloads/values';
import {
  readFlag,
  readIdentifier,
  readLabels,
  readLink,
  readSeverity,
  readStringList,
  readText,
  requireIdentifier,
  requireText,
} from './generic.values';
import { statusMeaningOf, type StatusMeaning, type StatusWords } from './generic.words';

/** Every field of the format (and of a mapping's `fields`), in the order they are read: status first. */
export const GENERIC_FIELDS = [
  'status',
  'id',
  'key',
  'alert',
  'title',
  'at',
  'severity',
  'services',
  'hosts',
  'labels',
  'link',
  'message',
  'test',
  'cycle',
] as const;
export type GenericField = (typeof GENERIC_FIELDS)[number];

/** One alert of the generic format, validated and plain: what generic.adapter.ts turns into an Alert. */
export interface GenericAlertInput {
  /** The sender's id for this alert event (the same on its retries); null when not sent. */
  id: string | null;
  /** The incident's identity. */
  key: string;
  /** The alert inside the incident (a host, a check); null for a one-alert incident. */
  alert: string | null;
  title: string;
  /** The sender's status word, as sent (trimmed, capped). */
  status: string;
  transition: AlertTransition;
  /** The event time the sender gave; null when it gave none. */
  at: Date | null;
  severity: Severity | null;
  services: string[];
  hosts: string[];
  labels: Label[];
  link: string | null;
  /** '' when none. */
  message: string;
  isTest: boolean;
  cycle: string | null;
}

/** Where an alert's fields come from: a JSON object's own fields, or a mapping's expressions. */
export interface GenericFieldReader {
  /** The field's raw value (undefined when absent); may throw a ValidationError naming the field. */
  read(name: GenericField): unknown;
  /** How errors name the field: `alerts[1].status`, `fields.status`. */
  pathOf(name: GenericField): string;
}

const STATUS_WORDS = 'triggered, recovered, warn, no_data, acknowledged';

function readStatus(
  reader: GenericFieldReader,
  ownWords: StatusWords | undefined,
): { status: string; meaning: StatusMeaning } {
  const path = reader.pathOf('status');
  const status = requireText(path, reader.read('status'));
  const meaning = statusMeaningOf(status, ownWords);
  if (meaning === null)
    throw new ValidationError(
      path,
      `unknown status ${JSON.stringify(status.slice(0, 64))}: send ${STATUS_WORDS}`,
    );
  return { status, meaning };
}

/**
 * One alert, its status read first. Null when the status is one a mapping's statusMap ignores (then no other
 * field is read, so an event the mapping ignores need not carry them).
 */
export function readGenericAlert(
  reader: GenericFieldReader,
  ownWords?: StatusWords,
): GenericAlertInput | null {
  const { status, meaning } = readStatus(reader, ownWords);
  if (meaning === 'ignore') return null;
  const at = (name: GenericField) => reader.pathOf(name);
  return {
    id: readIdentifier(at('id'), reader.read('id')),
    key: requireIdentifier(at('key'), reader.read('key')),
    alert: readIdentifier(at('alert'), reader.read('alert')),
    title: requireText(at('title'), reader.read('title'), LIMITS.title),
    status,
    transition: meaning,
    at: parseTime(at('at'), reader.read('at')),
    severity: readSeverity(at('severity'), reader.read('severity')),
    services: readStringList(at('services'), reader.read('services')),
    hosts: readStringList(at('hosts'), reader.read('hosts')),
    labels: readLabels(at('labels'), reader.read('labels')),
    link: readLink(at('link'), reader.read('link')),
    message: readText(at('message'), reader.read('message'), LIMITS.message) ?? '',
    isTest: readFlag(at('test'), reader.read('test')),
    cycle: readIdentifier(at('cycle'), reader.read('cycle')),
  };
}

/** Each alert's id is its own: a body that repeats one would lose an alert to deduplication, so it is refused. */
export function refuseRepeatedIds(
  inputs: readonly GenericAlertInput[],
  pathOfId: (index: number) => string,
): void {
  const firstIndexOf = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (input.id === null) return;
    const first = firstIndexOf.get(input.id);
    if (first !== undefined)
      throw new ValidationError(
        pathOfId(index),
        `repeats the id of alert ${first}; each alert needs its own`,
      );
    firstIndexOf.set(input.id, index);
  });
}

function objectReader(record: JsonRecord, prefix: string): GenericFieldReader {
  return { read: (name) => field(record, name), pathOf: (name) => `${prefix}${name}` };
}

/** A generic-format body: one alert object, or `{ "alerts": [ ... ] }` (at most LIMITS.alerts). */
export function readGenericBody(body: unknown): GenericAlertInput[] {
  const record = requireRecord('body', body);
  const list = field(record, 'alerts');
  if (list === undefined) return [readGenericAlert(objectReader(record, ''))!];
  if (!Array.isArray(list)) throw new ValidationError('alerts', 'must be a list of alert objects');
  const inputs = optionalArray('alerts', list, LIMITS.alerts).map((item, index) =>
    readGenericAlert(objectReader(requireRecord(`alerts[${index}]`, item), `alerts[${index}].`))!,
  );
  refuseRepeatedIds(inputs, (index) => `alerts[${index}].id`);
  return inputs;
}
