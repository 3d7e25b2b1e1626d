/**
 * Opsgenie's outgoing Webhook integration -> Alert. One webhook is one action on one alert (`{ action, alert:
 * { alertId, alias, message, tags, entity, createdAt, updatedAt, username, priority, description?, details?,
 * note? }, source, integrationName }`); the actions in `opsgenie.mappings.ts` become an alert, every other
 * action is answered as ignored. Pure; a ValidationError naming the field, never anything else.
 *
 * Times: `createdAt` is epoch milliseconds, `updatedAt` epoch nanoseconds (19 digits), each read in its own
 * unit. The alert's `entity` is kept as the label `entity` and is a host or service only when listed in
 * HOST_TAG_KEYS / SERVICE_TAG_KEYS: Opsgenie says it names "the domain the alert is related to", which is a
 * host for some integrations and an application or a check for others.
 */
import type { Alert, Label } from '../../domain/alert';
import { dedupeLabels, labelsFromObject, labelsFromTags, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  capText,
  digestOf,
  exactDigits,
  field,
  LIMITS,
  optionalArray,
  optionalRecord,
  optionalText,
  payloadEventId,
  readingPayload,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';
import type { SourceContext, SourceResult } from '../source';
import { severityOf, trackedAction, type TrackedAction } from './opsgenie.mappings';

const SOURCE = 'opsgenie';
/** How much of an untracked action the `ignored` reason repeats. */
const MAX_IGNORED_ACTION = 100;

/**
 * `updatedAt` as the digits Opsgenie sent. A 19-digit number is past 2^53, so JSON.parse has rounded it: its
 * digits are read back from the raw body (the number there that parses to the same value).
 */
function updatedAtDigits(value: unknown, rawBody: string): string | null {
  return typeof value === 'number'
    ? exactDigits('updatedAt', value, rawBody)
    : optionalText('alert.updatedAt', value);
}

/** A Create happened when the alert was created (ms); anything later when the alert was updated (ns). */
function eventTimeOf(tracked: TrackedAction, alert: JsonRecord, receivedAt: Date) {
  const createdAt = field(alert, 'createdAt');
  if (tracked.transition === 'triggered' && createdAt !== undefined && createdAt !== null)
    return decideEventTime([['alert.createdAt', createdAt]], receivedAt, { epochUnit: 'ms' });
  return decideEventTime([['alert.updatedAt', field(alert, 'updatedAt')]], receivedAt, { epochUnit: 'ns' });
}

/** A Create's description; otherwise who did it (`Acknowledged by jane@example.com`) and their note. */
function messageOf(tracked: TrackedAction, alert: JsonRecord): string {
  const note = optionalText('alert.note', field(alert, 'note'), LIMITS.message);
  if (tracked.verb === null)
    return optionalText('alert.description', field(alert, 'description'), LIMITS.message) ?? note ?? '';
  const username = optionalText('alert.username', field(alert, 'username'));
  const done = username === null ? tracked.verb : `${tracked.verb} by ${username}`;
  return capText(note === null ? done : `${done}: ${note}`, LIMITS.message);
}

/** The alert's `key:value` tags, its details (when the integration sends them) and its entity. */
function labelsOf(alert: JsonRecord): Label[] {
  const tags = labelsFromTags(optionalArray('alert.tags', field(alert, 'tags'), LIMITS.labels));
  const details = labelsFromObject(optionalRecord('alert.details', field(alert, 'details')));
  const entity = optionalText('alert.entity', field(alert, 'entity'));
  return dedupeLabels([...tags, ...details, entity === null ? null : { key: 'entity', value: entity }]);
}

function toAlert(root: JsonRecord, action: string, tracked: TrackedAction, ctx: SourceContext): Alert {
  const alert = requireRecord('alert', field(root, 'alert'));
  const alertId = requireText('alert.alertId', field(alert, 'alertId'));
  // The alias is Opsgenie's de-duplication key: the same problem, alerted again, keeps it.
  const groupKey = `${SOURCE}:${optionalText('alert.alias', field(alert, 'alias')) ?? alertId}`;
  const tinyId = optionalText('alert.tinyId', field(alert, 'tinyId'));
  const title =
    optionalText('alert.message', field(alert, 'message'), LIMITS.title) ??
    `Opsgenie alert ${tinyId === null ? alertId : `#${tinyId}`}`;
  const updatedAt = updatedAtDigits(field(alert, 'updatedAt'), ctx.rawBody);
  const labels = labelsOf(alert);

  return {
    source: SOURCE,
    // Opsgenie sends no delivery id; the alert, the action and the update's time (in ns) name one.
    eventId:
      updatedAt === null ? payloadEventId(ctx.rawBody) : `${SOURCE}:${digestOf(alertId, action, updatedAt)}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: tracked.transition,
    rawTransition: action,
    isTest: false,
    ...eventTimeOf(tracked, alert, ctx.receivedAt),
    title,
    message: messageOf(tracked, alert),
    severity: severityOf(optionalText('alert.priority', field(alert, 'priority'))),
    monitor: { id: alertId, name: title, url: null, query: null },
    // One Opsgenie alert is one episode of its alias.
    cycleKey: alertId,
    services: valuesForKeys(labels, ctx.serviceTagKeys),
    hosts: valuesForKeys(labels, ctx.hostTagKeys),
    tags: labels,
  };
}

/** One outgoing webhook -> its alert, or why it carries none. */
export function parseOpsgenieWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => {
    const root = requireRecord('payload', body);
    const action = requireText('action', field(root, 'action'));
    const tracked = trackedAction(action);
    if (tracked === null)
      return { alerts: [], ignored: `${capText(action, MAX_IGNORED_ACTION)} is not tracked` };
    return { alerts: [toAlert(root, action, tracked, ctx)] };
  });
}
