/**
 * UptimeRobot webhook alert contact -> Alert. Pure: the same body and context always give the same result.
 * Reads UPTIMEROBOT_TEMPLATE (POST value as JSON) or the default variables sent as POST parameters.
 * Returns one alert, an ignored notice for an alert type we do not track, or throws a ValidationError naming
 * the field; never anything else.
 */
import type { Alert } from '../../domain/alert';
import { ValidationError } from '../../errors';
import type { SourceContext, SourceResult } from '../source';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  digestOf,
  payloadEventId,
  readingPayload,
  requireRecord,
  type JsonRecord,
} from '../../payloads/values';
import { alertKindOf, type AlertKind } from './uptimerobot.mappings';
import { variableText } from './uptimerobot.payload';
import { hostnameOf, webLink } from '../../payloads/urls';

export { UPTIMEROBOT_TEMPLATE } from './uptimerobot.payload';

const SOURCE = 'uptimerobot';

/** A scheme and `//`: a URL's start, which a bare host or IP does not have. */

/** `*alertType*`, else `*alertTypeFriendlyName*`; an unknown type is reported, a missing one refused. */
function decideKind(payload: JsonRecord): { kind: AlertKind | null; raw: string } {
  const type = variableText(payload, 'alertType');
  const friendly = variableText(payload, 'alertTypeFriendlyName');
  const raw = friendly ?? type;
  if (raw === null)
    throw new ValidationError('alertType', 'is required (send *alertType* or *alertTypeFriendlyName*)');
  const kind =
    (type === null ? null : alertKindOf(type)) ?? (friendly === null ? null : alertKindOf(friendly));
  return { kind, raw: capText(raw, LIMITS.text) };
}

/** `*alertDuration*`: whole seconds, or absent. */
function readDuration(payload: JsonRecord): string | null {
  const duration = variableText(payload, 'alertDuration');
  if (duration !== null && !/^\d+$/.test(duration))
    throw new ValidationError('alertDuration', 'must be a number of seconds');
  return duration;
}

/** The alert's details, then what the alert type adds: the certificate's expiry, or how long it was down. */
function composeMessage(payload: JsonRecord, kind: AlertKind): string {
  const lines = [variableText(payload, 'alertDetails', LIMITS.message)];
  const duration = readDuration(payload);
  if (kind.code === '2' && duration !== null) lines.push(`Down for ${duration} s`);
  if (kind.code === '3') {
    const expiry = variableText(payload, 'sslExpiryDate');
    const daysLeft = variableText(payload, 'sslExpiryDaysLeft');
    if (expiry !== null) lines.push(`SSL certificate expires ${expiry}`);
    if (daysLeft !== null) lines.push(`${daysLeft} days left`);
  }
  return capText(lines.filter((line) => line !== null).join('\n'), LIMITS.message);
}

function toAlert(payload: JsonRecord, kind: AlertKind, raw: string, ctx: SourceContext): Alert {
  const monitorId = variableText(payload, 'monitorID');
  if (monitorId === null) throw new ValidationError('monitorID', 'is required (send *monitorID*)');
  const target = variableText(payload, 'monitorURL');
  const title = capText(
    variableText(payload, 'monitorFriendlyName') ?? target ?? `UptimeRobot monitor ${monitorId}`,
    LIMITS.title,
  );
  const dateTime = variableText(payload, 'alertDateTime');
  const host = target === null ? null : hostnameOf(target);
  const groupKey = `${SOURCE}:monitor:${monitorId}`;
  const scope = kind.alertPart === '*' ? null : kind.alertPart;
  return {
    source: SOURCE,
    eventId:
      dateTime === null
        ? payloadEventId(ctx.rawBody)
        : `${SOURCE}:${digestOf(monitorId, kind.code, dateTime)}`,
    groupKey,
    alertKey: `${groupKey}|${kind.alertPart}`,
    scope,
    transition: kind.transition,
    rawTransition: raw,
    isTest: false,
    ...decideEventTime([['alertDateTime', dateTime]], ctx.receivedAt, { epochUnit: 's' }),
    title,
    message: composeMessage(payload, kind),
    severity: kind.severity,
    monitor: { id: monitorId, name: title, url: webLink(target), query: null },
    cycleKey: null,
    services: [],
    hosts: host === null ? [] : [host],
    tags: [],
  };
}

/** One UptimeRobot notification -> its alert, or why it carries none. */
export function parseUptimeRobotWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => {
    const payload = requireRecord('payload', body);
    const { kind, raw } = decideKind(payload);
    if (kind === null) return { alerts: [], ignored: `alert type ${JSON.stringify(raw)} is not tracked` };
    return { alerts: [toAlert(payload, kind, raw, ctx)] };
  });
}
