/**
 * Zabbix webhook media type (ZABBIX_MEDIA_TYPE_SCRIPT's JSON) -> Alert. Pure: the same body, context and
 * settings always give the same result. A problem triggers, its recovery recovers, an update that acknowledges
 * is an acknowledgement; other updates and the media type's test (its macros unrendered) are ignored. Zabbix
 * writes times without a zone, in the server's: ZABBIX_TIMEZONE. Throws a ValidationError naming the field,
 * and nothing else.
 */
import type { Alert, AlertTransition } from '../../domain/alert';
import { ValidationError } from '../../errors';
import type { SourceContext, SourceResult } from '../source';
import { distinct, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  digestOf,
  field,
  optionalText,
  readingPayload,
  requireRecord,
  type JsonRecord,
} from '../../payloads/values';
import { isAcknowledgement, severityOf, transitionOfValue } from './zabbix.mappings';
import { isUnrendered, macroText, readTags, wallTimeOf } from './zabbix.payload';
import { webLink } from '../../payloads/urls';

export { ZABBIX_MEDIA_TYPE_PARAMETERS, ZABBIX_MEDIA_TYPE_SCRIPT } from './zabbix.payload';

const SOURCE = 'zabbix';

export interface ZabbixSettings {
  /** The IANA zone of the Zabbix server, in which {EVENT.DATE} and {EVENT.TIME} are written. */
  ZABBIX_TIMEZONE: string;
}

/** What happened, the time it happened at (wall-clock, in the server's zone) and the notification's text. */
interface Happening {
  transition: AlertTransition;
  raw: string;
  wallTime: { path: string; text: string | null };
  message: string;
  /** What tells this notification from another of the same problem, beyond its value and time. */
  identity: string[];
}

/** An update that acknowledged the problem: who did it, and what they wrote. */
function acknowledgement(payload: JsonRecord, action: string): Happening {
  const user = macroText(payload, 'user');
  const note = macroText(payload, 'update_message', LIMITS.message);
  const who = user === null ? 'Acknowledged in Zabbix' : `Acknowledged by ${user}`;
  return {
    transition: 'acknowledged',
    raw: action,
    wallTime: { path: 'update_date', text: wallTimeOf(payload, 'update_date', 'update_time') },
    message: note === null ? who : `${who}: ${note}`,
    identity: [action, user ?? ''],
  };
}

/** A problem's start, at {EVENT.DATE} {EVENT.TIME}; or its recovery, at {EVENT.RECOVERY.DATE} {EVENT.RECOVERY.TIME}. */
function problemOrRecovery(payload: JsonRecord): Happening {
  const value = macroText(payload, 'value');
  if (value === null) throw new ValidationError('value', 'is required (send {EVENT.VALUE})');
  const sent = transitionOfValue(value);
  if (sent === null) throw new ValidationError('value', 'must be 1 (problem) or 0 (recovery)');
  const [dateKey, timeKey] =
    sent.transition === 'recovered' ? ['recovery_date', 'recovery_time'] : ['date', 'time'];
  return {
    transition: sent.transition,
    raw: sent.raw,
    wallTime: { path: dateKey, text: wallTimeOf(payload, dateKey, timeKey) },
    message: macroText(payload, 'message', LIMITS.message) ?? '',
    identity: [],
  };
}

function toAlert(
  payload: JsonRecord,
  eventId: string,
  updateStatus: string,
  what: Happening,
  ctx: SourceContext<ZabbixSettings>,
): Alert {
  const tags = readTags(payload);
  const title = macroText(payload, 'event_name', LIMITS.title) ?? `Zabbix problem ${eventId}`;
  const groupKey = `${SOURCE}:problem:${eventId}`;
  const value = macroText(payload, 'value') ?? '';
  return {
    source: SOURCE,
    eventId: `${SOURCE}:${digestOf(eventId, value, updateStatus, what.wallTime.text ?? '', ...what.identity)}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: what.transition,
    rawTransition: what.raw,
    isTest: false,
    ...decideEventTime([[what.wallTime.path, what.wallTime.text]], ctx.receivedAt, {
      zone: ctx.settings.ZABBIX_TIMEZONE,
    }),
    title,
    message: capText(what.message, LIMITS.message),
    severity: severityOf(macroText(payload, 'nseverity'), macroText(payload, 'severity')),
    monitor: {
      id: macroText(payload, 'trigger_id'),
      name: title,
      url: webLink(macroText(payload, 'url')),
      query: null,
    },
    cycleKey: eventId,
    services: valuesForKeys(tags, ctx.serviceTagKeys),
    hosts: distinct([macroText(payload, 'host'), ...valuesForKeys(tags, ctx.hostTagKeys)]),
    tags,
  };
}

/** One Zabbix notification -> its alert, or why it carries none. */
export function parseZabbixWebhook(body: unknown, ctx: SourceContext<ZabbixSettings>): SourceResult {
  return readingPayload(() => {
    const payload = requireRecord('payload', body);
    const sentId = optionalText('event_id', field(payload, 'event_id'));
    if (sentId !== null && isUnrendered(sentId))
      return { alerts: [], ignored: 'test notification: the media type test sends its macros unrendered' };
    if (sentId === null) throw new ValidationError('event_id', 'is required (send {EVENT.ID})');
    const updateStatus = macroText(payload, 'update_status') ?? '0';
    if (updateStatus !== '0' && updateStatus !== '1')
      throw new ValidationError('update_status', 'must be 1 (a problem update) or 0');
    if (updateStatus === '0')
      return { alerts: [toAlert(payload, sentId, updateStatus, problemOrRecovery(payload), ctx)] };
    const action = macroText(payload, 'update_action');
    if (action === null || !isAcknowledgement(action))
      return {
        alerts: [],
        ignored: `problem update ${JSON.stringify(action ?? 'without an action')} is not tracked`,
      };
    return { alerts: [toAlert(payload, sentId, updateStatus, acknowledgement(payload, action), ctx)] };
  });
}
