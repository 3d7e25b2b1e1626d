/**
 * New Relic workflows (a Webhook destination with the default payload template) -> Alert. One request is one
 * issue notification: `{ id, issueUrl, title, priority, impactedEntities, totalIncidents, state, trigger,
 * createdAt, updatedAt, sources, alertPolicyNames, alertConditionNames, workflowName }`, times in epoch
 * milliseconds. Customized templates that say `issueId`, `issueTitle`, `issuePageUrl`, `triggerEvent`,
 * `activatedAt`, `acknowledgedAt`, `closedAt`, `labels` or `tags` are read too.
 * Pure; a ValidationError naming the field for a payload that is not an issue notification, never anything else.
 */
import type { Alert } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { dedupeLabels, distinct, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  digestOf,
  field,
  optionalText,
  payloadEventId,
  readingPayload,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';
import type { SourceContext, SourceResult } from '../source';
import { severityOf, transitionOf, type IssueTransition } from './newrelic.mappings';
import { entitiesOf, labelMapOf, labelsNamed, namesOf } from './newrelic.payload';
import { webLink } from '../../payloads/urls';

const SOURCE = 'newrelic';

/**
 * The example issue New Relic renders a template with, in its preview and for "Send test notification"
 * (`Memory Used % > 90 for at least 2 minutes on 'Some-Entity'`): a notification about it is a test.
 */
export const NEWRELIC_TEST_ISSUE_ID = 'd1b1f3fd-995a-4066-88ab-8ce4f6960654';

/** The first of several keys a template may use for one value (`id` or `issueId`). */
function firstText(root: JsonRecord, keys: readonly string[], max: number = LIMITS.text): string | null {
  for (const key of keys) {
    const text = optionalText(key, field(root, key), max);
    if (text !== null) return text;
  }
  return null;
}

/** The time of what happened: a trigger's activation, an acknowledgement, a close; else the last update. */
const TIME_KEYS: Readonly<Record<IssueTransition, readonly string[]>> = {
  triggered: ['activatedAt', 'createdAt', 'updatedAt'],
  acknowledged: ['acknowledgedAt', 'updatedAt'],
  recovered: ['closedAt', 'updatedAt'],
};

/** `Policies: ...`, `Conditions: ...`, `Entities: ...`, `Incidents: n`: what the default template tells. */
function messageOf(
  root: JsonRecord,
  lists: Record<'Policies' | 'Conditions' | 'Entities', string[]>,
): string {
  const description = firstText(root, ['description', 'details'], LIMITS.message);
  if (description !== null) return description;
  const lines = Object.entries(lists)
    .filter(([, names]) => names.length > 0)
    .map(([label, names]) => `${label}: ${names.join(', ')}`);
  const incidents = optionalText('totalIncidents', field(root, 'totalIncidents'));
  if (incidents !== null) lines.push(`Incidents: ${incidents}`);
  return capText(lines.join('\n'), LIMITS.message);
}

/**
 * `newrelic:<digest of the issue, its state, trigger and update time>`: the same on every retry of one
 * notification, another for the issue's next one. Without `updatedAt` the bytes decide.
 */
function eventIdOf(id: string, state: string, trigger: string | null, ctx: SourceContext, root: JsonRecord) {
  const updatedAt = optionalText('updatedAt', field(root, 'updatedAt'));
  return updatedAt === null
    ? payloadEventId(ctx.rawBody)
    : `${SOURCE}:${digestOf(id, state, trigger ?? '', updatedAt)}`;
}

function toAlert(root: JsonRecord, ctx: SourceContext): Alert {
  const id = firstText(root, ['id', 'issueId']);
  if (id === null) throw new ValidationError('id', 'is required (the issue id, {{ json issueId }})');
  const state = requireText('state', field(root, 'state'));
  const trigger = firstText(root, ['trigger', 'triggerEvent']);
  const decided = transitionOf(state, trigger);
  if (decided === null)
    throw new ValidationError('state', `unknown state ${JSON.stringify(state.slice(0, 64))}`);

  const policies = namesOf(root, 'alertPolicyNames');
  const conditions = namesOf(root, 'alertConditionNames');
  const entities = entitiesOf(root);
  const title =
    firstText(root, ['title', 'issueTitle'], LIMITS.title) ??
    capText(conditions[0] ?? `New Relic issue ${id}`, LIMITS.title);
  const workflow = optionalText('workflowName', field(root, 'workflowName'));
  const tags = dedupeLabels([
    ...labelMapOf(root, 'labels'),
    ...labelMapOf(root, 'tags'),
    ...labelsNamed('policy', policies),
    ...labelsNamed('condition', conditions),
    ...labelsNamed('entity', entities.names),
    ...labelsNamed('source', namesOf(root, 'sources')),
    ...labelsNamed('workflow', workflow === null ? [] : [workflow]),
  ]);
  const groupKey = `${SOURCE}:issue:${id}`;

  return {
    source: SOURCE,
    eventId: eventIdOf(id, state, trigger, ctx, root),
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: decided.transition,
    rawTransition: decided.raw,
    isTest: id === NEWRELIC_TEST_ISSUE_ID,
    ...decideEventTime(
      TIME_KEYS[decided.transition].map((key) => [key, field(root, key)] as const),
      ctx.receivedAt,
    ),
    title,
    message: messageOf(root, { Policies: policies, Conditions: conditions, Entities: entities.names }),
    severity: severityOf(optionalText('priority', field(root, 'priority'))),
    monitor: {
      id: conditions[0] ?? id,
      name: title,
      url: webLink(firstText(root, ['issueUrl', 'issuePageUrl'])),
      query: null,
    },
    // The issue is New Relic's alert episode: it closes for good, and the next breach is a new issue.
    cycleKey: id,
    services: distinct([...entities.services, ...valuesForKeys(tags, ctx.serviceTagKeys)]),
    hosts: distinct([...entities.hosts, ...valuesForKeys(tags, ctx.hostTagKeys)]),
    tags,
  };
}

/** One workflow notification -> its alert. */
export function parseNewRelicWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => ({ alerts: [toAlert(requireRecord('payload', body), ctx)] }));
}
