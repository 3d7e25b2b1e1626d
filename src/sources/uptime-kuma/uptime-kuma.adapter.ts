/**
 * Uptime Kuma webhook notification (JSON or form-data body) -> Alert. Pure: the same body and context always
 * give the same result. A monitor's DOWN, UP and PENDING heartbeats become alerts; the "Test" button's
 * notification is a test alert; MAINTENANCE and notices without a monitor (certificate expiry) are ignored.
 * Throws a ValidationError naming the field, and nothing else.
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
  payloadEventId,
  readingPayload,
  type JsonRecord,
} from '../../payloads/values';
import { heartbeatStatusOf } from './uptime-kuma.mappings';
import { readDelivery, readNotification, readStatus, readTags } from './uptime-kuma.payload';
import { hostnameOf, webLink } from '../../payloads/urls';

const SOURCE = 'uptime-kuma';
const TEST_GROUP = `${SOURCE}:test`;
/** What the Test button sends as msg: `<notification name> Testing`. */
const TEST_MESSAGE = /\bTesting$/;

/** The Test button's notification: no monitor, no heartbeat; recorded, never opening an incident. */
function testAlert(msg: string, ctx: SourceContext): Alert {
  const title = capText(msg, LIMITS.title);
  return {
    source: SOURCE,
    eventId: payloadEventId(ctx.rawBody),
    groupKey: TEST_GROUP,
    alertKey: `${TEST_GROUP}|*`,
    scope: null,
    transition: 'triggered',
    rawTransition: 'test',
    isTest: true,
    at: ctx.receivedAt.toISOString(),
    atOrigin: 'received',
    title,
    message: msg,
    severity: null,
    monitor: { id: null, name: title, url: null, query: null },
    cycleKey: null,
    services: [],
    hosts: [],
    tags: [],
  };
}

function toAlert(
  heartbeat: JsonRecord,
  monitor: JsonRecord,
  msg: string | null,
  status: { number: string; word: string; transition: AlertTransition },
  ctx: SourceContext,
): Alert {
  const monitorId =
    optionalText('monitor.id', field(monitor, 'id')) ??
    optionalText('heartbeat.monitorID', field(heartbeat, 'monitorID'));
  if (monitorId === null) throw new ValidationError('monitor.id', 'is required');
  const url = optionalText('monitor.url', field(monitor, 'url'));
  const title =
    optionalText('monitor.name', field(monitor, 'name'), LIMITS.title) ?? `Uptime Kuma monitor ${monitorId}`;
  const time = optionalText('heartbeat.time', field(heartbeat, 'time'));
  const tags = readTags(monitor);
  const groupKey = `${SOURCE}:monitor:${monitorId}`;
  return {
    source: SOURCE,
    eventId:
      time === null ? payloadEventId(ctx.rawBody) : `${SOURCE}:${digestOf(monitorId, status.number, time)}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: status.transition,
    rawTransition: status.word,
    isTest: false,
    // Uptime Kuma writes heartbeat times in UTC without a zone (`2026-06-14 10:00:00.123`), which is how
    // decideEventTime reads a time without a zone.
    ...decideEventTime([['heartbeat.time', time]], ctx.receivedAt),
    title,
    message: msg ?? optionalText('heartbeat.msg', field(heartbeat, 'msg'), LIMITS.message) ?? '',
    severity: null,
    monitor: { id: monitorId, name: title, url: webLink(url), query: null },
    cycleKey: null,
    services: valuesForKeys(tags, ctx.serviceTagKeys),
    hosts: distinct([
      optionalText('monitor.hostname', field(monitor, 'hostname')) ?? (url === null ? null : hostnameOf(url)),
      ...valuesForKeys(tags, ctx.hostTagKeys),
    ]),
    tags,
  };
}

/** One Uptime Kuma notification, JSON or form-data -> its alert, or why it carries none. */
export function parseUptimeKumaWebhook(body: unknown, received: SourceContext): SourceResult {
  return readingPayload(() => {
    const delivery = readDelivery(body, received);
    // The payload hash reads the notification's JSON text, whichever body type carried it.
    const ctx = { ...received, rawBody: delivery.jsonText };
    const { heartbeat, monitor, msg } = readNotification(delivery.body);
    if (heartbeat === null && monitor === null) {
      if (msg === null) throw new ValidationError('heartbeat', 'is required');
      if (TEST_MESSAGE.test(msg)) return { alerts: [testAlert(msg, ctx)] };
      return {
        alerts: [],
        ignored: 'a notice without a monitor or heartbeat (certificate expiry) is not tracked',
      };
    }
    if (heartbeat === null) throw new ValidationError('heartbeat', 'is required with monitor');
    if (monitor === null) throw new ValidationError('monitor', 'is required with heartbeat');
    const statusNumber = readStatus(heartbeat);
    const status = heartbeatStatusOf(statusNumber);
    if (status === null)
      throw new ValidationError(
        'heartbeat.status',
        `unknown status ${statusNumber} (0 down, 1 up, 2 pending, 3 maintenance)`,
      );
    const { transition, word } = status;
    if (transition === null) return { alerts: [], ignored: `heartbeat status ${word} is not tracked` };
    return { alerts: [toAlert(heartbeat, monitor, msg, { number: statusNumber, word, transition }, ctx)] };
  });
}
