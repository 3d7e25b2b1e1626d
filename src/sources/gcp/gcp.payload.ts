/**
 * The fields of a Cloud Monitoring webhook notification (schema version 1.2, and the console's test
 * notification) the adapter reads, taken out of the body with typed reads that name the field they refuse.
 * Any other field is ignored.
 */
import { ValidationError } from '../../errors';
import {
  LIMITS,
  field,
  isRecord,
  optionalRecord,
  optionalText,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';

const INCIDENT = 'incident';
/** An incident id is read whole (the body's size limit bounds it), so a long one is digested, never cut. */
const WHOLE = Number.MAX_SAFE_INTEGER;

/** Where each kind of policy condition keeps its query text, in the order they are looked for. */
const CONDITION_QUERIES: ReadonlyArray<readonly [kind: string, key: string]> = [
  ['conditionThreshold', 'filter'],
  ['conditionAbsent', 'filter'],
  ['conditionMatchedLog', 'filter'],
  ['conditionMonitoringQueryLanguage', 'query'],
  ['conditionPrometheusQueryLanguage', 'query'],
  ['conditionSql', 'query'],
];

export interface GcpIncident {
  version: string | null;
  incidentId: string;
  state: string;
  /** Epoch seconds as sent, for decideEventTime; their text, for the event id. */
  startedAt: unknown;
  endedAt: unknown;
  startedText: string | null;
  endedText: string | null;
  url: string | null;
  summary: string | null;
  severity: string | null;
  policyName: string | null;
  conditionName: string | null;
  /** `condition.name`: `projects/<p>/alertPolicies/<policy>/conditions/<condition>`. */
  conditionResource: string | null;
  conditionQuery: string | null;
  /** `documentation.content`, or `documentation` itself where it is text (the test notification). */
  documentation: string | null;
  resourceType: string | null;
  resourceDisplayName: string | null;
  resourceLabels: JsonRecord | null;
  metricLabels: JsonRecord | null;
  userLabels: JsonRecord | null;
  policyUserLabels: JsonRecord | null;
}

/** An epoch time's text for the event id: a number or text; anything else is refused, naming it. */
function timeText(path: string, value: unknown): string | null {
  if (typeof value === 'object' && value !== null) throw new ValidationError(path, 'must be epoch seconds');
  return optionalText(path, value);
}

function readDocumentation(value: unknown): string | null {
  const path = `${INCIDENT}.documentation`;
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return optionalText(path, value, LIMITS.message);
  if (!isRecord(value)) throw new ValidationError(path, 'must be text or an object');
  return optionalText(`${path}.content`, field(value, 'content'), LIMITS.message);
}

function readConditionQuery(condition: JsonRecord | null): string | null {
  if (condition === null) return null;
  for (const [kind, key] of CONDITION_QUERIES) {
    const spec = optionalRecord(`${INCIDENT}.condition.${kind}`, field(condition, kind));
    const query =
      spec === null
        ? null
        : optionalText(`${INCIDENT}.condition.${kind}.${key}`, field(spec, key), LIMITS.message);
    if (query !== null) return query;
  }
  return null;
}

/** The labels object at `parent.key`, or null; a wrong type is refused, naming it. */
function labelsAt(parent: JsonRecord | null, path: string, key: string): JsonRecord | null {
  return parent === null ? null : optionalRecord(`${path}.${key}`, field(parent, key));
}

function readIncident(incident: JsonRecord): Omit<GcpIncident, 'version'> {
  const text = (key: string, max?: number) => optionalText(`${INCIDENT}.${key}`, field(incident, key), max);
  const resource = optionalRecord(`${INCIDENT}.resource`, field(incident, 'resource'));
  const metric = optionalRecord(`${INCIDENT}.metric`, field(incident, 'metric'));
  const metadata = optionalRecord(`${INCIDENT}.metadata`, field(incident, 'metadata'));
  const condition = optionalRecord(`${INCIDENT}.condition`, field(incident, 'condition'));
  return {
    incidentId: requireText(`${INCIDENT}.incident_id`, field(incident, 'incident_id'), WHOLE),
    state: requireText(`${INCIDENT}.state`, field(incident, 'state')),
    startedAt: field(incident, 'started_at'),
    endedAt: field(incident, 'ended_at'),
    startedText: timeText(`${INCIDENT}.started_at`, field(incident, 'started_at')),
    endedText: timeText(`${INCIDENT}.ended_at`, field(incident, 'ended_at')),
    url: text('url'),
    summary: text('summary', LIMITS.message),
    severity: text('severity'),
    policyName: text('policy_name'),
    conditionName: text('condition_name'),
    conditionResource:
      condition === null ? null : optionalText(`${INCIDENT}.condition.name`, field(condition, 'name')),
    conditionQuery: readConditionQuery(condition),
    documentation: readDocumentation(field(incident, 'documentation')),
    resourceType:
      resource === null ? null : optionalText(`${INCIDENT}.resource.type`, field(resource, 'type')),
    resourceDisplayName: text('resource_display_name'),
    resourceLabels: labelsAt(resource, `${INCIDENT}.resource`, 'labels'),
    metricLabels: labelsAt(metric, `${INCIDENT}.metric`, 'labels'),
    userLabels: labelsAt(metadata, `${INCIDENT}.metadata`, 'user_labels'),
    policyUserLabels: optionalRecord(`${INCIDENT}.policy_user_labels`, field(incident, 'policy_user_labels')),
  };
}

/** The notification's fields, or a ValidationError naming the first one that is missing or of a wrong type. */
export function readGcpPayload(body: unknown): GcpIncident {
  const root = requireRecord('body', body);
  return {
    version: optionalText('version', field(root, 'version')),
    ...readIncident(requireRecord(INCIDENT, field(root, INCIDENT))),
  };
}
