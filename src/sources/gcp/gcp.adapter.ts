/**
 * Google Cloud Monitoring webhook notification -> Alert. Pure: the same body and context always give the same
 * alert. One notification carries one incident; its `open` and its `closed` notification share the incident's
 * `incident_id`, which makes the incident here too.
 */
import type { Alert } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { dedupeLabels, distinct, labelsFromObject, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import { LIMITS, capText, digestOf, normalizeWord, readingPayload } from '../../payloads/values';
import type { SourceContext } from '../source';
import {
  NATIVE_HOST_KEYS,
  VM_RESOURCE_TYPE,
  isTestVersion,
  severityFromWord,
  transitionFromState,
} from './gcp.mappings';
import { readGcpPayload, type GcpIncident } from './gcp.payload';
import { webLink } from '../../payloads/urls';

const SOURCE = 'gcp';
const POLICY_OF_CONDITION = /^(projects\/[^/]+\/alertPolicies\/[^/]+)\/conditions\/[^/]+$/;

/** The incident key; an id longer than LIMITS.text is digested, never cut. */
export function groupKeyOf(incidentId: string): string {
  return `${SOURCE}:incident:${incidentId.length > LIMITS.text ? digestOf(incidentId) : incidentId}`;
}

/**
 * The policy's resource name (`projects/<p>/alertPolicies/<id>`) where the condition's name carries it; else
 * policy_name (a display name, or the test notification's resource name), else the condition's name.
 */
export function policyIdOf(incident: GcpIncident): string | null {
  const fromCondition = POLICY_OF_CONDITION.exec(incident.conditionResource ?? '')?.[1];
  if (fromCondition !== undefined) return fromCondition;
  return incident.policyName ?? incident.conditionName;
}

function toAlert(body: unknown, ctx: SourceContext): Alert {
  const incident = readGcpPayload(body);
  const transition = transitionFromState(incident.state);
  if (transition === null)
    throw new ValidationError(
      'incident.state',
      `unknown state ${JSON.stringify(incident.state.slice(0, 64))}; expected open or closed`,
    );
  const name = incident.policyName ?? incident.conditionName;
  if (name === null) throw new ValidationError('incident.policy_name', 'is required (or condition_name)');
  const title = capText(name, LIMITS.title);

  // An open incident happened when it started, a closed one when it ended; 0 (the test's) is no time.
  const time =
    transition === 'triggered'
      ? (['incident.started_at', incident.startedAt] as const)
      : (['incident.ended_at', incident.endedAt] as const);
  const groupKey = groupKeyOf(incident.incidentId);

  const resourceLabels = labelsFromObject(incident.resourceLabels);
  const metricLabels = labelsFromObject(incident.metricLabels);
  const labels = dedupeLabels([
    ...resourceLabels,
    ...metricLabels,
    ...labelsFromObject(incident.userLabels),
    ...labelsFromObject(incident.policyUserLabels),
  ]);
  const vmName = incident.resourceType === VM_RESOURCE_TYPE ? incident.resourceDisplayName : null;

  return {
    source: SOURCE,
    eventId: `${SOURCE}:${digestOf(
      incident.incidentId,
      normalizeWord(incident.state),
      incident.startedText ?? '',
      incident.endedText ?? '',
    )}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition,
    rawTransition: incident.state,
    isTest: isTestVersion(incident.version),
    ...decideEventTime([time], ctx.receivedAt, { epochUnit: 's' }),
    title,
    message: incident.summary ?? incident.documentation ?? '',
    severity: severityFromWord(incident.severity),
    monitor: {
      id: policyIdOf(incident),
      name: title,
      url: webLink(incident.url, { httpsOnly: true }),
      query: incident.conditionQuery,
    },
    cycleKey: capText(incident.incidentId, LIMITS.text),
    services: valuesForKeys(labels, ctx.serviceTagKeys),
    hosts: distinct([
      ...valuesForKeys([...resourceLabels, ...metricLabels], NATIVE_HOST_KEYS),
      vmName,
      ...valuesForKeys(labels, ctx.hostTagKeys),
    ]),
    tags: labels,
  };
}

/** One Cloud Monitoring notification -> its one alert, or a ValidationError naming the bad field. */
export function parseGcpNotification(body: unknown, ctx: SourceContext): Alert[] {
  return readingPayload(() => [toAlert(body, ctx)]);
}
