/**
 * The fields of an Azure Monitor common-alert-schema notification the adapter reads, taken out of the body
 * with typed reads that name the field they refuse. Any other field (alertContext, whose shape varies with
 * the alert type) is ignored.
 */
import { ValidationError } from '../../errors';
import {
  LIMITS,
  field,
  normalizeWord,
  optionalArray,
  optionalRecord,
  optionalText,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';

export const COMMON_ALERT_SCHEMA = 'azureMonitorCommonAlertSchema';

/** An alert id is read whole (the body's size limit bounds it), so a long one is digested, never cut. */
const WHOLE = Number.MAX_SAFE_INTEGER;
const ESSENTIALS = 'data.essentials';

export interface AzureEssentials {
  /** The alert instance's ARM id: the same on its Fired and its Resolved notification. */
  alertId: string;
  alertRule: string | null;
  /** `alertRuleId` (the sample) or `alertRuleID` (the field table): the rule's ARM id, not always sent. */
  alertRuleId: string | null;
  severity: string | null;
  signalType: string | null;
  monitorCondition: string;
  monitoringService: string | null;
  alertTargetIds: string[];
  configurationItems: string[];
  /** As sent, for decideEventTime; their text, for the event id. */
  firedDateTime: unknown;
  resolvedDateTime: unknown;
  description: string | null;
  investigationLink: string | null;
}

export interface AzurePayload {
  essentials: AzureEssentials;
  /** `data.customProperties`: the key/value pairs configured on the alert rule or action; null when none. */
  customProperties: JsonRecord | null;
}

function textList(path: string, value: unknown): string[] {
  return optionalArray(path, value, LIMITS.labels)
    .map((item, i) => optionalText(`${path}[${i}]`, item))
    .filter((text) => text !== null);
}

function readEssentials(essentials: JsonRecord): AzureEssentials {
  const text = (key: string, max?: number) =>
    optionalText(`${ESSENTIALS}.${key}`, field(essentials, key), max);
  return {
    alertId: requireText(`${ESSENTIALS}.alertId`, field(essentials, 'alertId'), WHOLE),
    alertRule: text('alertRule'),
    alertRuleId: text('alertRuleId') ?? text('alertRuleID'),
    severity: text('severity'),
    signalType: text('signalType'),
    monitorCondition: requireText(`${ESSENTIALS}.monitorCondition`, field(essentials, 'monitorCondition')),
    monitoringService: text('monitoringService'),
    alertTargetIds: textList(`${ESSENTIALS}.alertTargetIDs`, field(essentials, 'alertTargetIDs')),
    configurationItems: textList(`${ESSENTIALS}.configurationItems`, field(essentials, 'configurationItems')),
    firedDateTime: field(essentials, 'firedDateTime'),
    resolvedDateTime: field(essentials, 'resolvedDateTime'),
    description: text('description', LIMITS.message),
    investigationLink: text('investigationLink'),
  };
}

/** The notification's fields, or a ValidationError naming the first one that is missing or of a wrong type. */
export function readAzurePayload(body: unknown): AzurePayload {
  const root = requireRecord('body', body);
  const schemaId = requireText('schemaId', field(root, 'schemaId'));
  if (normalizeWord(schemaId) !== normalizeWord(COMMON_ALERT_SCHEMA))
    throw new ValidationError(
      'schemaId',
      `is ${JSON.stringify(schemaId.slice(0, 64))}; enable the common alert schema on the action group's webhook`,
    );
  const data = requireRecord('data', field(root, 'data'));
  return {
    essentials: readEssentials(requireRecord(ESSENTIALS, field(data, 'essentials'))),
    customProperties: optionalRecord('data.customProperties', field(data, 'customProperties')),
  };
}
