/**
 * The Zabbix webhook media type Hindsight publishes (its parameters and script), and how its fields are read:
 * every parameter is a macro Zabbix renders as text; one it cannot render stays as typed (`{EVENT.RECOVERY.DATE}`
 * in a problem) or becomes `*UNKNOWN*`, and counts as absent.
 */
import type { Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { labelsFromPairs } from '../../payloads/labels';
import { LIMITS, field, optionalArray, optionalText, type JsonRecord } from '../../payloads/values';

/** The media type's parameters: name -> value, macros rendered by Zabbix for each notification. */
export const ZABBIX_MEDIA_TYPE_PARAMETERS: Readonly<Record<string, string>> = {
  hindsight_url: 'https://hindsight.example.com/webhooks/zabbix',
  hindsight_authorization: 'Bearer <token>',
  event_id: '{EVENT.ID}',
  event_name: '{EVENT.NAME}',
  trigger_id: '{TRIGGER.ID}',
  host: '{HOST.NAME}',
  severity: '{EVENT.SEVERITY}',
  nseverity: '{EVENT.NSEVERITY}',
  value: '{EVENT.VALUE}',
  update_status: '{EVENT.UPDATE.STATUS}',
  update_action: '{EVENT.UPDATE.ACTION}',
  update_message: '{EVENT.UPDATE.MESSAGE}',
  user: '{USER.FULLNAME}',
  date: '{EVENT.DATE}',
  time: '{EVENT.TIME}',
  recovery_date: '{EVENT.RECOVERY.DATE}',
  recovery_time: '{EVENT.RECOVERY.TIME}',
  update_date: '{EVENT.UPDATE.DATE}',
  update_time: '{EVENT.UPDATE.TIME}',
  tags: '{EVENT.TAGSJSON}',
  message: '{ALERT.MESSAGE}',
  url: 'https://zabbix.example.com/tr_events.php?triggerid={TRIGGER.ID}&eventid={EVENT.ID}',
};

/** The media type's script: POSTs the parameters as JSON, without the two that address Hindsight. */
export const ZABBIX_MEDIA_TYPE_SCRIPT = [
  'var params = JSON.parse(value), request = new HttpRequest();',
  'var url = params.hindsight_url, authorization = params.hindsight_authorization;',
  'delete params.hindsight_url; delete params.hindsight_authorization;',
  "request.addHeader('Content-Type: application/json');",
  "request.addHeader('Authorization: ' + authorization);",
  'var response = request.post(url, JSON.stringify(params));',
  'if (request.getStatus() < 200 || request.getStatus() > 299)',
  "  throw 'Hindsight answered ' + request.getStatus() + ': ' + response;",
  "return 'OK';",
].join('\n');

/** A macro left as typed (`{EVENT.ID}`, `{$ZABBIX.URL}`), or Zabbix's `*UNKNOWN*`. */
const UNRENDERED = /^(?:\{\$?[A-Z][A-Z0-9_.]*\}|\*UNKNOWN\*)$/;

export function isUnrendered(text: string): boolean {
  return UNRENDERED.test(text);
}

/** A parameter's text, trimmed and capped; null when absent, empty or unrendered. */
export function macroText(payload: JsonRecord, key: string, max: number = LIMITS.text): string | null {
  const text = optionalText(key, field(payload, key), max);
  return text === null || isUnrendered(text) ? null : text;
}

const ZABBIX_DATE = /^(\d{4})[.-](\d{2})[.-](\d{2})$/;
const ZABBIX_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;

/**
 * A date and time parameter pair ({EVENT.DATE} `2026.06.14`, {EVENT.TIME} `12:00:00`) as one wall-clock time
 * (`2026-06-14 12:00:00`) for parseIsoTime; null when neither is sent. One without the other is refused.
 */
export function wallTimeOf(payload: JsonRecord, dateKey: string, timeKey: string): string | null {
  const date = macroText(payload, dateKey);
  const time = macroText(payload, timeKey);
  if (date === null && time === null) return null;
  if (date === null) throw new ValidationError(dateKey, `is required with ${timeKey}`);
  if (time === null) throw new ValidationError(timeKey, `is required with ${dateKey}`);
  const parts = ZABBIX_DATE.exec(date);
  if (parts === null)
    throw new ValidationError(dateKey, `is not a date (yyyy.mm.dd): ${JSON.stringify(date.slice(0, 40))}`);
  if (!ZABBIX_TIME.test(time))
    throw new ValidationError(timeKey, `is not a time (hh:mm:ss): ${JSON.stringify(time.slice(0, 40))}`);
  return `${parts[1]}-${parts[2]}-${parts[3]} ${time}`;
}

/** {EVENT.TAGSJSON}: `[{"tag": "service", "value": "db"}]`, as the JSON text Zabbix renders or as a list. */
export function readTags(payload: JsonRecord): Label[] {
  const sent = field(payload, 'tags');
  let list: unknown = sent;
  if (typeof sent === 'string') {
    const text = sent.trim();
    if (text === '' || isUnrendered(text)) return [];
    try {
      list = JSON.parse(text);
    } catch {
      throw new ValidationError('tags', 'must be a JSON list of {tag, value} ({EVENT.TAGSJSON})');
    }
  }
  return labelsFromPairs(optionalArray('tags', list, LIMITS.labels), 'tag', 'value');
}
