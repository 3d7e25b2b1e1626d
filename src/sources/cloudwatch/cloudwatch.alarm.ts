/**
 * The CloudWatch alarm an SNS notification carries: its `Message` is the alarm state change as a JSON string.
 * Read are the fields an alert needs; wrong types on them are refused naming `Message.<field>`; everything else
 * in the alarm (OKActions, Threshold, ...) is ignored.
 */
import type { Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { dedupeLabels, labelsFromPairs } from '../../payloads/labels';
import {
  LIMITS,
  field,
  isRecord,
  optionalArray,
  optionalRecord,
  optionalText,
  requireRecord,
  requireText,
  type JsonRecord,
} from '../../payloads/values';

export interface CloudWatchAlarm {
  AlarmName: string;
  AlarmDescription: string | null;
  AlarmArn: string | null;
  AWSAccountId: string | null;
  /** The region's display name as CloudWatch writes it (`US East (N. Virginia)`), not its code. */
  Region: string | null;
  /** ALARM, OK or INSUFFICIENT_DATA, as sent. */
  NewStateValue: string;
  NewStateReason: string | null;
  /** `2026-06-14T10:00:00.123+0000` (raw: parsed with the event times). */
  StateChangeTime: unknown;
  /** `AWS/EC2/CPUUtilization`, a metric-math expression, or a composite alarm's rule; null when none. */
  query: string | null;
  /** The metric's dimensions (`InstanceId=i-...`), every metric's for a metric-math alarm. */
  dimensions: Label[];
}

/** A metric-math alarm queries at most a few dozen metrics; more is no alarm. */
const MAX_METRICS = 100;
/** CloudWatch allows 30 dimensions a metric. */
const MAX_DIMENSIONS = 30;

function parseMessageJson(message: string): unknown {
  try {
    return JSON.parse(message) as unknown;
  } catch {
    throw new ValidationError('Message', 'is not a CloudWatch alarm: it is not JSON');
  }
}

function text(alarm: JsonRecord, path: string, key: string, max: number = LIMITS.text): string | null {
  return optionalText(`${path}.${key}`, field(alarm, key), max);
}

function metricName(metric: JsonRecord, path: string): string | null {
  const name = text(metric, path, 'MetricName');
  const namespace = text(metric, path, 'Namespace');
  if (name === null) return null;
  return namespace === null ? name : `${namespace}/${name}`;
}

function dimensionsOf(holder: JsonRecord, path: string): Label[] {
  return labelsFromPairs(
    optionalArray(`${path}.Dimensions`, field(holder, 'Dimensions'), MAX_DIMENSIONS),
    'name',
    'value',
  );
}

/** A metric-math alarm's metrics: its returned expression (or metric) is the query; every metric's dimensions count. */
function readMetrics(trigger: JsonRecord, path: string): { query: string | null; dimensions: Label[] } {
  const metrics = optionalArray(`${path}.Metrics`, field(trigger, 'Metrics'), MAX_METRICS);
  let query: string | null = null;
  const dimensions: Label[] = [];
  metrics.forEach((entry, i) => {
    const at = `${path}.Metrics[${i}]`;
    const metric = requireRecord(at, entry);
    const stat = optionalRecord(`${at}.MetricStat`, field(metric, 'MetricStat'));
    const inner = stat === null ? null : optionalRecord(`${at}.MetricStat.Metric`, field(stat, 'Metric'));
    const innerPath = `${at}.MetricStat.Metric`;
    if (inner !== null) dimensions.push(...dimensionsOf(inner, innerPath));
    const own = text(metric, at, 'Expression') ?? (inner === null ? null : metricName(inner, innerPath));
    if (query === null && field(metric, 'ReturnData') === true) query = own;
  });
  return { query, dimensions };
}

function readTrigger(alarm: JsonRecord): { query: string | null; dimensions: Label[] } {
  const path = 'Message.Trigger';
  const trigger = optionalRecord(path, field(alarm, 'Trigger'));
  const rule = text(alarm, 'Message', 'AlarmRule');
  if (trigger === null) return { query: rule, dimensions: [] };
  const metrics = readMetrics(trigger, path);
  return {
    query: metricName(trigger, path) ?? metrics.query ?? rule,
    dimensions: dedupeLabels([...dimensionsOf(trigger, path), ...metrics.dimensions]),
  };
}

/** The alarm in a Notification's Message; a Message that is no JSON, or no alarm, is refused naming `Message`. */
export function readCloudWatchAlarm(message: string): CloudWatchAlarm {
  const parsed = parseMessageJson(message);
  if (
    !isRecord(parsed) ||
    field(parsed, 'AlarmName') === undefined ||
    field(parsed, 'NewStateValue') === undefined
  )
    throw new ValidationError('Message', 'is not a CloudWatch alarm: it has no AlarmName and NewStateValue');
  return {
    AlarmName: requireText('Message.AlarmName', field(parsed, 'AlarmName'), LIMITS.title),
    AlarmDescription: text(parsed, 'Message', 'AlarmDescription', LIMITS.message),
    AlarmArn: text(parsed, 'Message', 'AlarmArn'),
    AWSAccountId: text(parsed, 'Message', 'AWSAccountId'),
    Region: text(parsed, 'Message', 'Region'),
    NewStateValue: requireText('Message.NewStateValue', field(parsed, 'NewStateValue')),
    NewStateReason: text(parsed, 'Message', 'NewStateReason', LIMITS.message),
    StateChangeTime: field(parsed, 'StateChangeTime'),
    ...readTrigger(parsed),
  };
}
