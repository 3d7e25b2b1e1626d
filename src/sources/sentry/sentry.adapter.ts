/**
 * Sentry integration platform webhooks -> Alert. `Sentry-Hook-Resource` says what a request is about:
 * `event_alert` (an issue alert rule fired on an event: `{action: 'triggered', data: {event, triggered_rule}}`),
 * `metric_alert` (`critical` / `warning` / `resolved`, see `sentry.metric-alert.ts`) and `issue` (whose
 * `resolved` recovers the issue's alerts and `assigned` acknowledges them). Every other resource
 * (`installation`, `error`, `comment`, `seer`, ...) and issue action is answered as ignored.
 *
 * Event ids come from what was notified, never from `Request-ID`: Sentry mints that afresh for each retry.
 * Pure; a ValidationError naming the field for a payload that does not fit, never anything else.
 */
import type { Alert } from '../../domain/alert';
import { distinct, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  digestOf,
  field,
  normalizeWord,
  optionalRecord,
  optionalText,
  payloadEventId,
  readingPayload,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';
import type { SourceContext, SourceResult } from '../source';
import {
  issueAction,
  metricAlertAction,
  severityOfLevel,
  trackedResource,
  type TrackedAction,
} from './sentry.mappings';
import { metricAlertOf } from './sentry.metric-alert';
import { personName, resourceOf, sentTimeOf, tagValue, tagsOf } from './sentry.payload';
import { webLink } from '../../payloads/urls';

const SOURCE = 'sentry';
/** How much of an untracked resource or action the `ignored` reason repeats. */
const MAX_IGNORED_WORD = 100;
/** Sentry's sample events (its "Send Test Notification" among them) carry this tag. */
const SAMPLE_EVENT_TAG = { key: 'sample_event', value: 'yes' } as const;
/** The tag Sentry's SDKs name the host with. */
const SERVER_NAME_TAG = 'server_name';

/** The first text that is present. */
function firstOf(...texts: Array<string | null>): string | null {
  return texts.find((text) => text !== null) ?? null;
}

/** An issue alert (action `triggered`, the only one Sentry sends): the event that made a rule fire. */
function issueAlertOf(root: JsonRecord, action: string, ctx: SourceContext): Alert {
  const data = requireRecord('data', field(root, 'data'));
  const event = requireRecord('data.event', field(data, 'event'));
  const issueId = requireText('data.event.issue_id', field(event, 'issue_id'));
  const rule = optionalText('data.triggered_rule', field(data, 'triggered_rule'), LIMITS.title);
  const tags = tagsOf('data.event.tags', field(event, 'tags'));
  const title =
    optionalText('data.event.title', field(event, 'title'), LIMITS.title) ?? `Sentry issue ${issueId}`;
  const metadata = optionalRecord('data.event.metadata', field(event, 'metadata'));
  const message = firstOf(
    optionalText('data.event.message', field(event, 'message'), LIMITS.message),
    metadata === null
      ? null
      : optionalText('data.event.metadata.value', field(metadata, 'value'), LIMITS.message),
    optionalText('data.event.culprit', field(event, 'culprit'), LIMITS.message),
  );
  // One event firing one rule is one notification, on every retry; another event is another.
  const eventId = optionalText('data.event.event_id', field(event, 'event_id'));
  const groupKey = `${SOURCE}:issue:${issueId}`;
  const url = webLink(optionalText('data.event.web_url', field(event, 'web_url')));

  return {
    source: SOURCE,
    eventId:
      eventId === null
        ? payloadEventId(ctx.rawBody)
        : `${SOURCE}:${digestOf('event_alert', issueId, eventId, rule ?? '')}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: 'triggered',
    rawTransition: action,
    isTest: tagValue(tags, SAMPLE_EVENT_TAG.key) === SAMPLE_EVENT_TAG.value,
    ...decideEventTime(
      [
        ['data.event.datetime', field(event, 'datetime')],
        ['data.event.timestamp', field(event, 'timestamp')],
      ],
      ctx.receivedAt,
    ),
    title,
    message: message ?? '',
    severity: severityOfLevel(
      optionalText('data.event.level', field(event, 'level')) ?? tagValue(tags, 'level'),
    ),
    monitor: { id: rule, name: rule ?? title, url, query: null },
    cycleKey: null,
    services: valuesForKeys(tags, ctx.serviceTagKeys),
    hosts: distinct([...valuesForKeys(tags, [SERVER_NAME_TAG]), ...valuesForKeys(tags, ctx.hostTagKeys)]),
    tags,
  };
}

/** `Resolved by Jane Doe`, `Assigned to Jane Doe by Sentry`: what happened, so the timeline says. */
function issueMessageOf(tracked: TrackedAction, issue: JsonRecord, root: JsonRecord): string {
  const actor = personName('actor', field(root, 'actor'));
  const assignee =
    tracked.transition === 'acknowledged'
      ? personName('data.issue.assignedTo', field(issue, 'assignedTo'))
      : null;
  const verb = tracked.transition === 'acknowledged' ? 'Assigned' : 'Resolved';
  return capText(
    `${verb}${assignee === null ? '' : ` to ${assignee}`}${actor === null ? '' : ` by ${actor}`}`,
    LIMITS.message,
  );
}

/** An issue's resolution or assignment, about the same group as the issue alerts it raised. */
function issueEventOf(root: JsonRecord, action: string, ctx: SourceContext): SourceResult {
  const tracked = issueAction(action);
  if (tracked === null)
    return {
      alerts: [],
      ignored: `issue.${capText(action, MAX_IGNORED_WORD)} is not tracked (issue alert rules open incidents)`,
    };
  const data = requireRecord('data', field(root, 'data'));
  const issue = requireRecord('data.issue', field(data, 'issue'));
  const issueId = requireText('data.issue.id', field(issue, 'id'));
  const project = optionalRecord('data.issue.project', field(issue, 'project'));
  const projectSlug =
    project === null ? null : optionalText('data.issue.project.slug', field(project, 'slug'));
  const tags = projectSlug === null ? [] : [{ key: 'project', value: projectSlug }];
  const title =
    optionalText('data.issue.title', field(issue, 'title'), LIMITS.title) ?? `Sentry issue ${issueId}`;
  const message = issueMessageOf(tracked, issue, root);
  const url =
    webLink(optionalText('data.issue.web_url', field(issue, 'web_url'))) ??
    webLink(optionalText('data.issue.permalink', field(issue, 'permalink')));
  // A resolution after a regression has seen later events; a reassignment names another person.
  const lastSeen = optionalText('data.issue.lastSeen', field(issue, 'lastSeen')) ?? '';
  const groupKey = `${SOURCE}:issue:${issueId}`;

  const alert: Alert = {
    source: SOURCE,
    eventId: `${SOURCE}:${digestOf('issue', issueId, normalizeWord(action), lastSeen, message)}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: tracked.transition,
    rawTransition: action,
    isTest: false,
    ...decideEventTime([sentTimeOf(ctx)], ctx.receivedAt),
    title,
    message,
    severity: severityOfLevel(optionalText('data.issue.level', field(issue, 'level'))),
    monitor: { id: null, name: title, url, query: null },
    cycleKey: null,
    services: distinct([projectSlug, ...valuesForKeys(tags, ctx.serviceTagKeys)]),
    hosts: valuesForKeys(tags, ctx.hostTagKeys),
    tags,
  };
  return { alerts: [alert] };
}

/** One Sentry webhook -> its alert, or why it carries none. */
export function parseSentryWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => {
    const root = requireRecord('payload', body);
    const resource = resourceOf(root, ctx);
    const tracked = trackedResource(resource);
    const sentAction = field(root, 'action');
    if (tracked === null) {
      const action = typeof sentAction === 'string' ? `.${capText(sentAction, MAX_IGNORED_WORD)}` : '';
      return { alerts: [], ignored: `${capText(resource, MAX_IGNORED_WORD)}${action} carries no alert` };
    }
    const action = requireText('action', sentAction);
    if (tracked === 'issue') return issueEventOf(root, action, ctx);
    // An action Sentry adds later (its code knows a metric alert `open` no documentation lists) is answered
    // 2xx and ignored, as any untracked resource is: Sentry never retries a 4xx, and counts it as a failure.
    const untracked = {
      alerts: [],
      ignored: `${resource}.${capText(action, MAX_IGNORED_WORD)} is not tracked`,
    };
    if (tracked === 'metric_alert') {
      const metricAction = metricAlertAction(action);
      return metricAction === null ? untracked : { alerts: [metricAlertOf(root, action, metricAction, ctx)] };
    }
    return normalizeWord(action) === 'triggered' ? { alerts: [issueAlertOf(root, action, ctx)] } : untracked;
  });
}
