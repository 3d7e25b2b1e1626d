/**
 * PagerDuty V3 webhooks -> Alert. One webhook carries one event (`{ event: { id, event_type, occurred_at,
 * agent, data } }`); the incident events in `pagerduty.mappings.ts` become one alert about the incident,
 * every other event type (the `pagey.ping` test, notes, priority changes, services) is answered as ignored,
 * so that PagerDuty, which disables a subscription after repeated failures, never sees a 4xx for it.
 * Pure; a ValidationError naming the field for a payload that is not a V3 event, never anything else.
 */
import type { Alert, Label } from '../../domain/alert';
import { dedupeLabels, valuesForKeys, distinct } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  field,
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
import { severityOf, trackedEventType, type TrackedEventType } from './pagerduty.mappings';
import { webLink } from '../../payloads/urls';

const SOURCE = 'pagerduty';
/** How much of an untracked event type the `ignored` reason repeats. */
const MAX_IGNORED_TYPE = 100;
/** PagerDuty's only resolve reason: the incident was merged into another. */
const MERGE_RESOLVE_REASON = 'merge_resolve_reason';

/** The `summary` of a PagerDuty reference object (`{id, type, summary, html_url}`), or null. */
function summaryOf(path: string, value: unknown): string | null {
  const reference = optionalRecord(path, value);
  return reference === null ? null : optionalText(`${path}.summary`, field(reference, 'summary'));
}

/** The incident this one was merged into, when that is why it resolved. */
function mergedIntoOf(data: JsonRecord): string | null {
  const reason = optionalRecord('event.data.resolve_reason', field(data, 'resolve_reason'));
  if (reason === null) return null;
  if (optionalText('event.data.resolve_reason.type', field(reason, 'type')) !== MERGE_RESOLVE_REASON)
    return null;
  const path = 'event.data.resolve_reason.incident';
  const incident = optionalRecord(path, field(reason, 'incident'));
  if (incident === null) return 'another incident';
  return (
    optionalText(`${path}.summary`, field(incident, 'summary')) ??
    optionalText(`${path}.id`, field(incident, 'id')) ??
    'another incident'
  );
}

/**
 * `Acknowledged by Jane Doe`: who did it, so the timeline says; and for a merge, into what. Bounded by its
 * parts (two names of at most LIMITS.text each), so within LIMITS.message.
 */
function messageOf(tracked: TrackedEventType, event: JsonRecord, data: JsonRecord): string {
  const agent = summaryOf('event.agent', field(event, 'agent'));
  const done = agent === null ? tracked.verb : `${tracked.verb} by ${agent}`;
  const mergedInto = tracked.transition === 'recovered' ? mergedIntoOf(data) : null;
  return mergedInto === null ? done : `${done}: merged into ${mergedInto}`;
}

/** The incident's service, teams, escalation policy, priority and urgency, as labels. */
function labelsOf(data: JsonRecord): Label[] {
  const teams = optionalArray('event.data.teams', field(data, 'teams'), LIMITS.labels).map((team, i) =>
    summaryOf(`event.data.teams[${i}]`, team),
  );
  const pairs: Array<readonly [string, string | null]> = [
    ['service', summaryOf('event.data.service', field(data, 'service'))],
    ...teams.map((team) => ['team', team] as const),
    ['escalation_policy', summaryOf('event.data.escalation_policy', field(data, 'escalation_policy'))],
    ['priority', summaryOf('event.data.priority', field(data, 'priority'))],
    ['urgency', optionalText('event.data.urgency', field(data, 'urgency'))],
  ];
  return dedupeLabels(pairs.map(([key, value]) => (value === null ? null : { key, value })));
}

/** `pagerduty:<event.id>`: the same on every retry; else the `X-Webhook-Id` delivery id; else the bytes. */
function eventIdOf(event: JsonRecord, ctx: SourceContext): string {
  const id =
    optionalText('event.id', field(event, 'id')) ?? optionalText('X-Webhook-Id', ctx.header('X-Webhook-Id'));
  return id === null ? payloadEventId(ctx.rawBody) : `${SOURCE}:${id}`;
}

function toAlert(event: JsonRecord, eventType: string, tracked: TrackedEventType, ctx: SourceContext): Alert {
  const data = requireRecord('event.data', field(event, 'data'));
  const incidentId = requireText('event.data.id', field(data, 'id'));
  const groupKey = `${SOURCE}:incident:${incidentId}`;
  const number = optionalText('event.data.number', field(data, 'number'));
  const title =
    optionalText('event.data.title', field(data, 'title'), LIMITS.title) ??
    `PagerDuty incident ${number === null ? incidentId : `#${number}`}`;
  const labels = labelsOf(data);
  const labelValue = (key: string) => labels.find((label) => label.key === key)?.value ?? null;
  // The occurrence's time; a trigger without one started when its incident was created.
  const times: Array<readonly [string, unknown]> = [['event.occurred_at', field(event, 'occurred_at')]];
  if (tracked.transition === 'triggered') times.push(['event.data.created_at', field(data, 'created_at')]);

  return {
    source: SOURCE,
    eventId: eventIdOf(event, ctx),
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: tracked.transition,
    rawTransition: eventType,
    isTest: false,
    ...decideEventTime(times, ctx.receivedAt),
    title,
    message: messageOf(tracked, event, data),
    severity: severityOf(labelValue('priority'), labelValue('urgency')),
    monitor: {
      id: incidentId,
      name: title,
      url: webLink(optionalText('event.data.html_url', field(data, 'html_url'))),
      query: null,
    },
    // The incident is the group itself: PagerDuty has no episode id finer than it.
    cycleKey: null,
    services: distinct([labelValue('service'), ...valuesForKeys(labels, ctx.serviceTagKeys)]),
    hosts: valuesForKeys(labels, ctx.hostTagKeys),
    tags: labels,
  };
}

/** One V3 webhook -> its alert, or why it carries none. */
export function parsePagerDutyWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => {
    const root = requireRecord('payload', body);
    const event = requireRecord('event', field(root, 'event'));
    const eventType = requireText('event.event_type', field(event, 'event_type'));
    const tracked = trackedEventType(eventType);
    if (tracked === null)
      return { alerts: [], ignored: `${capText(eventType, MAX_IGNORED_TYPE)} is not tracked` };
    return { alerts: [toAlert(event, eventType, tracked, ctx)] };
  });
}
