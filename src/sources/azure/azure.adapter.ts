/**
 * Azure Monitor alert (common alert schema, through an action group's webhook) -> Alert. Pure: the same body
 * and context always give the same alert. One notification carries one alert instance; its Fired and its
 * Resolved notification share the instance's `alertId`, which makes the incident.
 */
import type { Alert, Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { dedupeLabels, distinct, labelsFromObject, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import { LIMITS, capText, digestOf, optionalText, readingPayload } from '../../payloads/values';
import type { SourceContext } from '../source';
import { severityFromLevel, transitionFromCondition } from './azure.mappings';
import { readAzurePayload, type AzureEssentials } from './azure.payload';
import { webLink } from '../../payloads/urls';

const SOURCE = 'azure';
const FALLBACK_TITLE = 'Azure Monitor alert';

/** `/subscriptions/.../virtualMachines/web-1` -> `web-1`; a plain name is its own resource name. */
export function resourceNameOf(id: string): string | null {
  const segments = id.split('/').filter((segment) => segment.trim() !== '');
  return segments.at(-1)?.trim() ?? null;
}

/**
 * The affected resources' names: configurationItems first (they keep the resource's own case), then the last
 * segment of each alertTargetIDs entry (ARM ids Azure often lower-cases), the same name in another case once.
 */
export function resourceHosts(essentials: AzureEssentials): string[] {
  const hosts: string[] = [];
  const seen = new Set<string>();
  for (const id of [...essentials.configurationItems, ...essentials.alertTargetIds]) {
    const name = resourceNameOf(id);
    if (name === null || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    hosts.push(name);
  }
  return hosts;
}

/** The incident key of an alert instance; an id longer than LIMITS.text is digested, never cut. */
export function groupKeyOf(alertId: string): string {
  return `${SOURCE}:alert:${alertId.length > LIMITS.text ? digestOf(alertId) : alertId}`;
}

function tagsOf(essentials: AzureEssentials, custom: Label[]): Label[] {
  const own: Label[] = [];
  if (essentials.monitoringService !== null)
    own.push({ key: 'monitoringService', value: essentials.monitoringService });
  if (essentials.signalType !== null) own.push({ key: 'signalType', value: essentials.signalType });
  return dedupeLabels([...custom, ...own]);
}

function toAlert(body: unknown, ctx: SourceContext): Alert {
  const { essentials, customProperties } = readAzurePayload(body);
  const transition = transitionFromCondition(essentials.monitorCondition);
  if (transition === null)
    throw new ValidationError(
      'data.essentials.monitorCondition',
      `unknown condition ${JSON.stringify(essentials.monitorCondition.slice(0, 64))}; expected Fired or Resolved`,
    );
  // A Fired alert happened when it fired, a Resolved one when it resolved (sent for metric alerts only).
  const [timePath, timeValue] =
    transition === 'triggered'
      ? (['data.essentials.firedDateTime', essentials.firedDateTime] as const)
      : (['data.essentials.resolvedDateTime', essentials.resolvedDateTime] as const);
  const timeText = optionalText(timePath, timeValue) ?? '';

  const groupKey = groupKeyOf(essentials.alertId);
  const title = capText(
    essentials.alertRule ?? essentials.description ?? essentials.monitoringService ?? FALLBACK_TITLE,
    LIMITS.title,
  );
  const custom = labelsFromObject(customProperties);

  return {
    source: SOURCE,
    eventId: `${SOURCE}:${digestOf(essentials.alertId, essentials.monitorCondition, timeText)}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition,
    rawTransition: essentials.monitorCondition,
    // Azure marks no test: the Test Action Group feature sends mocked but ordinary-looking alerts.
    isTest: false,
    ...decideEventTime([[timePath, timeValue]], ctx.receivedAt),
    title,
    message: essentials.description ?? '',
    severity: severityFromLevel(essentials.severity),
    monitor: {
      id: essentials.alertRuleId ?? essentials.alertRule,
      name: title,
      url: webLink(essentials.investigationLink, { httpsOnly: true }),
      query: null,
    },
    cycleKey: capText(essentials.alertId, LIMITS.text),
    services: valuesForKeys(custom, ctx.serviceTagKeys),
    hosts: distinct([...resourceHosts(essentials), ...valuesForKeys(custom, ctx.hostTagKeys)]),
    tags: tagsOf(essentials, custom),
  };
}

/** One Azure Monitor notification -> its one alert, or a ValidationError naming the bad field. */
export function parseAzureAlert(body: unknown, ctx: SourceContext): Alert[] {
  return readingPayload(() => [toAlert(body, ctx)]);
}
