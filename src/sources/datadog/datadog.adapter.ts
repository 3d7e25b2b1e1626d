/**
 * Datadog Webhooks integration -> Alert. Pure: the same body and context always give the same alert.
 * Reads the integration's default payload and DATADOG_CUSTOM_TEMPLATE, JSON or form-encoded.
 * Returns alerts or throws a ValidationError naming the field; never anything else.
 */
import type { Alert, AlertTransition, Severity } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { LIMITS, capText, payloadEventId } from '../../payloads/values';
import type { SourceContext } from '../source';
import { severityFromPriority, transitionFromAlertType, transitionFromWord } from './datadog.mappings';
import { readDatadogPayload, type DatadogPayload } from './datadog.payload';
import { normalizeScope, parseTags, scopeLabels, valuesForKeys } from './datadog.tags';
import { findMonitorLink, parseTitle, type TitleParts } from './datadog.title';
import { parseEventTime, presentId, presentText } from './datadog.values';

export { DATADOG_CUSTOM_TEMPLATE } from './datadog.payload';

/** What the adapter reads besides the body: the receipt time, the raw text, and the tag keys. */
export type DatadogParseContext = Pick<
  SourceContext,
  'receivedAt' | 'rawBody' | 'serviceTagKeys' | 'hostTagKeys'
>;

const SOURCE = 'datadog';

function parseOptionalTitle(title: string | null): TitleParts | null {
  return title === null ? null : parseTitle(title);
}

/** $ALERT_TRANSITION, else the title's transition prefix, else $ALERT_TYPE. */
function decideTransition(
  payload: DatadogPayload,
  titles: TitleParts[],
): { transition: AlertTransition; raw: string } {
  const sent = presentText(payload.alert_transition);
  if (sent !== null) {
    const transition = transitionFromWord(sent);
    if (transition === null)
      throw new ValidationError(
        'alert_transition',
        `unknown transition ${JSON.stringify(sent.slice(0, 64))}`,
      );
    return { transition, raw: sent };
  }
  for (const title of titles) {
    const transition = title.transitionWord === null ? null : transitionFromWord(title.transitionWord);
    if (title.transitionWord !== null && transition !== null)
      return { transition, raw: title.transitionWord };
  }
  const alertType = presentText(payload.alert_type);
  const fromType = alertType === null ? null : transitionFromAlertType(alertType);
  if (alertType !== null && fromType !== null) return { transition: fromType, raw: alertType };
  throw new ValidationError(
    'alert_transition',
    'no transition: send $ALERT_TRANSITION, or an event title such as "[Triggered] ..."',
  );
}

/** $ALERT_PRIORITY, else $PRIORITY when it is P1..P5, else the title's `[P1]` prefix. */
function decideSeverity(payload: DatadogPayload, titles: TitleParts[]): Severity | null {
  for (const priority of [payload.alert_priority, payload.priority]) {
    const text = presentText(priority);
    const severity = text === null ? null : severityFromPriority(text);
    if (severity !== null) return severity;
  }
  return titles.find((title) => title.severity !== null)?.severity ?? null;
}

/**
 * The event time: $DATE, else $LAST_UPDATED, else the receipt time when neither is sent.
 * A sent value that is not a date is skipped for the next; if none is usable, the first bad field is named.
 */
function decideTime(payload: DatadogPayload, receivedAt: Date): { at: string; atOrigin: Alert['atOrigin'] } {
  let firstError: ValidationError | null = null;
  for (const [field, value] of [
    ['date', payload.date],
    ['last_updated', payload.last_updated],
  ] as const) {
    try {
      const at = parseEventTime(field, value);
      if (at !== null) return { at: at.toISOString(), atOrigin: 'source' };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      firstError ??= error;
    }
  }
  if (firstError !== null) throw firstError;
  return { at: receivedAt.toISOString(), atOrigin: 'received' };
}

function toAlert(payload: DatadogPayload, jsonText: string, ctx: DatadogParseContext): Alert {
  const eventTitle = parseOptionalTitle(presentText(payload.event_title) ?? presentText(payload.title));
  const alertTitle = parseOptionalTitle(presentText(payload.alert_title));
  // The event title speaks first for the prefixes; $ALERT_TITLE, when sent, names the monitor.
  const titles = [eventTitle, alertTitle].filter((title) => title !== null);
  const { transition, raw } = decideTransition(payload, titles);

  const name = capText(alertTitle?.name || eventTitle?.name || '', LIMITS.title);
  if (name === '') throw new ValidationError('title', 'no monitor name: send $EVENT_TITLE or $ALERT_TITLE');

  const message = presentText(payload.event_msg) ?? presentText(payload.body);
  const monitorLink = findMonitorLink(presentText(payload.link)) ?? findMonitorLink(message);
  const monitorId = presentId('alert_id', payload.alert_id, jsonText) ?? monitorLink?.monitorId ?? null;

  const scope = normalizeScope(
    presentText(payload.alert_scope) ?? titles.find((title) => title.scope !== null)?.scope ?? null,
  );
  const groupKey = monitorId === null ? `${SOURCE}:monitor-name:${name}` : `${SOURCE}:monitor:${monitorId}`;
  const eventId = presentId('id', payload.id, jsonText);

  const tags = parseTags(payload.tags);
  const scopeParts = scopeLabels(scope);
  const hostname = presentText(payload.hostname);
  const hosts = [
    ...valuesForKeys(tags, ctx.hostTagKeys),
    ...(hostname === null ? [] : [hostname]),
    ...valuesForKeys(scopeParts, ['host', ...ctx.hostTagKeys]),
  ];
  const services = [
    ...valuesForKeys(tags, ctx.serviceTagKeys),
    ...valuesForKeys(scopeParts, ctx.serviceTagKeys),
  ];

  return {
    source: SOURCE,
    eventId: eventId === null ? payloadEventId(ctx.rawBody) : `${SOURCE}:${eventId}`,
    groupKey,
    alertKey: `${groupKey}|${scope ?? '*'}`,
    scope,
    transition,
    rawTransition: raw,
    isTest: titles.some((title) => title.isTest),
    ...decideTime(payload, ctx.receivedAt),
    title: name,
    message: capText(message ?? '', LIMITS.message),
    severity: decideSeverity(payload, titles),
    monitor: { id: monitorId, name, url: monitorLink?.url ?? null, query: presentText(payload.alert_query) },
    cycleKey: presentId('alert_cycle_key', payload.alert_cycle_key, jsonText),
    services: [...new Set(services)],
    hosts: [...new Set(hosts)],
    tags,
  };
}

/**
 * One Datadog webhook -> its alerts (always one today). `body` is the parsed JSON value or, for a form-encoded
 * request, the decoded fields. Throws a ValidationError naming the bad field, and nothing else.
 */
export function parseDatadogWebhook(body: unknown, ctx: DatadogParseContext): Alert[] {
  try {
    const { payload, jsonText } = readDatadogPayload(body, ctx.rawBody);
    return [toAlert(payload, jsonText, ctx)];
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    // A shape nobody foresaw: still a rejected payload, never a crash of the route.
    throw new ValidationError(
      'payload',
      `could not be read (${error instanceof Error ? error.message : 'unknown error'})`,
    );
  }
}
