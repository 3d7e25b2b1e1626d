/**
 * GenericAlertInput -> Alert, for the generic source and every mapped endpoint (`generic/<name>`). Pure: the
 * same inputs and context always give the same alerts.
 */
import type { Alert } from '../../domain/alert';
import type { SourceContext, SourceResult } from '../source';
import { distinct, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import { digestOf, payloadEventId } from '../../payloads/values';
import type { GenericAlertInput } from './generic.payload';

/**
 * `<source>:<id>` when the sender gave one; else the body's digest, and with several alerts in the body, a
 * digest of the body and the alert's position (the same bytes give the same events, each alert its own).
 */
function eventIdOf(source: string, input: GenericAlertInput, index: number, count: number, rawBody: string) {
  if (input.id !== null) return `${source}:${input.id}`;
  return count === 1 ? payloadEventId(rawBody) : `sha256:${digestOf(rawBody, String(index))}`;
}

function toAlert(source: string, input: GenericAlertInput, eventId: string, ctx: SourceContext): Alert {
  const groupKey = `${source}:${input.key}`;
  return {
    source,
    eventId,
    groupKey,
    alertKey: `${groupKey}|${input.alert ?? '*'}`,
    scope: input.alert,
    transition: input.transition,
    rawTransition: input.status,
    isTest: input.isTest,
    ...decideEventTime([['at', input.at?.toISOString()]], ctx.receivedAt),
    title: input.title,
    message: input.message,
    severity: input.severity,
    monitor: { id: input.key, name: input.title, url: input.link, query: null },
    cycleKey: input.cycle,
    services: distinct([...input.services, ...valuesForKeys(input.labels, ctx.serviceTagKeys)]),
    hosts: distinct([...input.hosts, ...valuesForKeys(input.labels, ctx.hostTagKeys)]),
    tags: input.labels,
  };
}

export function toGenericAlerts(
  source: string,
  inputs: readonly GenericAlertInput[],
  ctx: SourceContext,
): Alert[] {
  return inputs.map((input, index) =>
    toAlert(source, input, eventIdOf(source, input, index, inputs.length, ctx.rawBody), ctx),
  );
}

/** The parse result: the alerts, or, when the body holds none, the reason it is answered 2xx anyway. */
export function genericResult(
  source: string,
  inputs: readonly GenericAlertInput[],
  ctx: SourceContext,
  emptyReason: string,
): SourceResult {
  return inputs.length === 0
    ? { alerts: [], ignored: emptyReason }
    : { alerts: toGenericAlerts(source, inputs, ctx) };
}
