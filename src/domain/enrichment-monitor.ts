/**
 * A Datadog monitor as Hindsight keeps it: read from what Datadog's API answered (the client's Monitor model,
 * untrusted: every field checked, every string and list capped), and what the Detection line of a draft says
 * of it (`Datadog monitor “Web 5xx”, \`avg(last_5m):… > 5\`, warning 3, critical 5`). Pure.
 */
import { ValidationError } from '../errors';
import {
  LIMITS,
  capText,
  field,
  isRecord,
  optionalRecord,
  requireRecord,
  type JsonRecord,
} from '../payloads/values';

/** Tags, downtimes and scopes kept of one monitor; a monitor with more is kept with the first ones. */
export const MONITOR_LIMITS = {
  tags: 50,
  downtimes: 20,
  scopes: 20,
  query: 2000,
  message: 4000,
} as const;

export interface MonitorThresholds {
  critical: number | null;
  warning: number | null;
  ok: number | null;
  criticalRecovery: number | null;
  warningRecovery: number | null;
}

export interface MonitorDowntime {
  id: number;
  scope: string[];
  start: Date | null;
  /** Null: no end set. */
  end: Date | null;
}

export interface MonitorDetails {
  id: number;
  name: string;
  /** Datadog's monitor type: `metric alert`, `query alert`, `service check`, `log alert`… */
  type: string;
  query: string;
  message: string;
  tags: string[];
  /** 1 (highest) to 5; null when not set. */
  priority: number | null;
  thresholds: MonitorThresholds;
  /** The downtimes that matched the monitor when it was read. */
  downtimes: MonitorDowntime[];
}

function text(record: JsonRecord, key: string, max: number): string {
  const value = field(record, key);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ValidationError(key, 'must be a string');
  return capText(value, max);
}

function finite(record: JsonRecord | null, key: string): number | null {
  const value = record === null ? undefined : field(record, key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValidationError(key, 'must be a number');
  return value;
}

function identifier(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new ValidationError(path, 'must be an id');
  return value;
}

/** The strings of a list, capped in number and length; anything else (in it, or instead of it) is left out. */
function strings(value: unknown, max: number): string[] {
  const items: unknown[] = Array.isArray(value) ? value.slice(0, max) : [];
  return items.filter((item): item is string => typeof item === 'string').map((s) => capText(s, LIMITS.text));
}

/** Epoch seconds (Datadog's downtime times) as a date; null when absent or not plausible. */
function epochSeconds(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 32_503_680_000)
    return null;
  return new Date(Math.round(value * 1000));
}

function readDowntime(value: unknown): MonitorDowntime | null {
  if (!isRecord(value)) return null;
  const id = field(value, 'id');
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  return {
    id,
    scope: strings(field(value, 'scope'), MONITOR_LIMITS.scopes),
    start: epochSeconds(field(value, 'start')),
    end: epochSeconds(field(value, 'end')),
  };
}

/**
 * The monitor Datadog answered (v1 Monitor model, camelCase), checked and bounded; a ValidationError naming
 * the field when it is not a monitor (no id, no query, a number where text belongs).
 */
export function readMonitorDetails(model: unknown): MonitorDetails {
  const monitor = requireRecord('monitor', model);
  const options = optionalRecord('options', field(monitor, 'options'));
  const thresholds =
    options === null ? null : optionalRecord('options.thresholds', field(options, 'thresholds'));
  const query = text(monitor, 'query', MONITOR_LIMITS.query);
  if (query === '') throw new ValidationError('query', 'is required');
  const priority = finite(monitor, 'priority');
  const downtimes = Array.isArray(field(monitor, 'matchingDowntimes'))
    ? (field(monitor, 'matchingDowntimes') as unknown[]).slice(0, MONITOR_LIMITS.downtimes)
    : [];
  return {
    id: identifier('id', field(monitor, 'id')),
    name: text(monitor, 'name', LIMITS.title),
    type: text(monitor, 'type', 100),
    query,
    message: text(monitor, 'message', MONITOR_LIMITS.message),
    tags: strings(field(monitor, 'tags'), MONITOR_LIMITS.tags),
    priority:
      priority !== null && Number.isInteger(priority) && priority >= 1 && priority <= 5 ? priority : null,
    thresholds: {
      critical: finite(thresholds, 'critical'),
      warning: finite(thresholds, 'warning'),
      ok: finite(thresholds, 'ok'),
      criticalRecovery: finite(thresholds, 'criticalRecovery'),
      warningRecovery: finite(thresholds, 'warningRecovery'),
    },
    downtimes: downtimes
      .map(readDowntime)
      .filter((downtime): downtime is MonitorDowntime => downtime !== null),
  };
}

/** `12`, `0.5`, `1e-7`: a threshold as Datadog shows it. */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** `warning 3, critical 5`; empty when neither is set. */
export function thresholdsPhrase(thresholds: MonitorThresholds): string {
  const parts: string[] = [];
  if (thresholds.warning !== null) parts.push(`warning ${formatNumber(thresholds.warning)}`);
  if (thresholds.critical !== null) parts.push(`critical ${formatNumber(thresholds.critical)}`);
  return parts.join(', ');
}

/** What the Detection line says of one monitor Datadog described: its name, its query, its thresholds. */
export interface DetectionDetail {
  /** `Datadog monitor “Web 5xx”`. */
  monitor: string;
  query: string;
  /** `warning 3, critical 5`; empty when neither is set. */
  thresholds: string;
}

/** The Detection line's parts for each monitor described (Markdown renders the query as code). */
export function detectionDetails(monitors: readonly MonitorDetails[]): DetectionDetail[] {
  return monitors.map((monitor) => ({
    monitor: `Datadog monitor “${monitor.name || String(monitor.id)}”`,
    query: monitor.query,
    thresholds: thresholdsPhrase(monitor.thresholds),
  }));
}
