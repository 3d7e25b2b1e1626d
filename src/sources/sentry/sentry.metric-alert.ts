/**
 * A Sentry metric alert webhook (`Sentry-Hook-Resource: metric_alert`) -> Alert: `action` is the status its
 * incident moved to (`critical`, `warning`, `resolved`), `data.metric_alert` the incident with its
 * `alert_rule`, `data.description_text` / `description_title` / `web_url` what Sentry's own notifications
 * show. One Sentry incident is one group: `sentry:metric-alert:<incident id>`.
 */
import type { Alert } from '../../domain/alert';
import { dedupeLabels, distinct, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import {
  LIMITS,
  digestOf,
  field,
  normalizeWord,
  optionalRecord,
  optionalText,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';
import type { SourceContext } from '../source';
import type { TrackedAction } from './sentry.mappings';
import { namesOf, sentTimeOf } from './sentry.payload';
import { webLink } from '../../payloads/urls';

const SOURCE = 'sentry';
const RULE = 'data.metric_alert.alert_rule';

/** `count() where level:error`: the rule's aggregate and its filter, as far as they are sent. */
function queryOf(rule: JsonRecord): string | null {
  const aggregate = optionalText(`${RULE}.aggregate`, field(rule, 'aggregate'));
  const query = optionalText(`${RULE}.query`, field(rule, 'query'));
  if (aggregate !== null && query !== null) return `${aggregate} where ${query}`;
  return aggregate ?? query;
}

/** The metric alert of a `metric_alert` webhook whose action is tracked (`metricAlertAction`). */
export function metricAlertOf(
  root: JsonRecord,
  action: string,
  tracked: TrackedAction,
  ctx: SourceContext,
): Alert {
  const data = requireRecord('data', field(root, 'data'));
  const incident = requireRecord('data.metric_alert', field(data, 'metric_alert'));
  const incidentId = requireText('data.metric_alert.id', field(incident, 'id'));
  const rule = optionalRecord(RULE, field(incident, 'alert_rule')) ?? {};
  const title =
    optionalText(`${RULE}.name`, field(rule, 'name'), LIMITS.title) ??
    optionalText('data.description_title', field(data, 'description_title'), LIMITS.title) ??
    `Sentry metric alert ${incidentId}`;
  const description = optionalText('data.description_text', field(data, 'description_text'), LIMITS.message);
  const url = webLink(optionalText('data.web_url', field(data, 'web_url')));
  const incidentProjects = namesOf('data.metric_alert.projects', field(incident, 'projects'));
  const projects =
    incidentProjects.length > 0 ? incidentProjects : namesOf(`${RULE}.projects`, field(rule, 'projects'));
  const environment = optionalText(`${RULE}.environment`, field(rule, 'environment'));
  const tags = dedupeLabels([
    ...projects.map((value) => ({ key: 'project', value })),
    environment === null ? null : { key: 'environment', value: environment },
  ]);
  const groupKey = `${SOURCE}:metric-alert:${incidentId}`;
  // A resolution's time is its close (Sentry may leave `date_closed` unset: then when it was sent);
  // a trigger's is the incident's detection.
  const times: ReadonlyArray<readonly [string, unknown]> =
    tracked.transition === 'recovered'
      ? [['data.metric_alert.date_closed', field(incident, 'date_closed')], sentTimeOf(ctx)]
      : [
          ['data.metric_alert.date_detected', field(incident, 'date_detected')],
          ['data.metric_alert.date_started', field(incident, 'date_started')],
        ];

  return {
    source: SOURCE,
    // The metric value in the description tells a warning from the next one on the same incident.
    eventId: `${SOURCE}:${digestOf('metric_alert', incidentId, normalizeWord(action), description ?? '', url ?? '')}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition: tracked.transition,
    rawTransition: action,
    isTest: false,
    ...decideEventTime(times, ctx.receivedAt),
    title,
    message: description ?? '',
    severity: tracked.severity,
    monitor: {
      id: optionalText(`${RULE}.id`, field(rule, 'id')),
      name: title,
      url,
      query: queryOf(rule),
    },
    cycleKey: incidentId,
    services: distinct([...projects, ...valuesForKeys(tags, ctx.serviceTagKeys)]),
    hosts: valuesForKeys(tags, ctx.hostTagKeys),
    tags,
  };
}
