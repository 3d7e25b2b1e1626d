/**
 * The metric behind a Datadog metric monitor, read from the monitor's own query: what to ask
 * v1.MetricsApi.queryMetrics for, the comparison the monitor makes, and the window to ask over (the incident with
 * a margin either side). The series Datadog answers are read in enrichment-metric-series.ts, and the figures a
 * person reads off the graph are drawn in enrichment-metric-figures.ts.
 */

/** The monitor types whose query is a metric expression compared with a threshold. */
export const METRIC_MONITOR_TYPES: ReadonlySet<string> = new Set(['metric alert', 'query alert']);

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface MetricQuery {
  /** The expression to query, as the monitor writes it: `sum:trace.http.request.errors{service:web} by {resource_name}`. */
  query: string;
  comparator: Comparator;
  threshold: number;
  /** The time aggregation the monitor applies (`avg`, `sum`, `min`, `max`). */
  timeAggregation: string;
  /** The monitor's evaluation window (`last_5m`: 300): how long before detection the metric may have crossed. */
  evaluationWindowSeconds: number;
}

/** A monitor query longer than this is not read. */
export const MAX_MONITOR_QUERY_LENGTH = 2000;

const TIME_AGGREGATIONS: ReadonlySet<string> = new Set(['avg', 'sum', 'min', 'max']);
const WINDOW_UNITS: ReadonlyMap<string, number> = new Map([
  ['m', 60],
  ['h', 3600],
  ['d', 86400],
  ['w', 7 * 86400],
  ['mo', 30 * 86400],
]);
const MAX_EVALUATION_WINDOW_SECONDS = 31 * 86400;

/** `avg(last_5m):` at the start; `change(avg(last_5m),last_5m):` and `max(next_1w):` do not match. */
const TIME_PREFIX = /^([a-z_]+)\(\s*(?:last|current)_(\d{1,4})(mo|m|h|d|w)\s*\)\s*:\s*/i;
/** `> 5`, `>= 0.9`, `< -1e3` at the end. */
const COMPARISON = /\s*(>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)$/i;
/** A metric with its tag scope, `system.cpu.user{host:a}`: every queryable expression names one. */
const METRIC_WITH_SCOPE = /[a-z_][\w.]*\s*\{[^{}]*\}/i;
/** Functions whose threshold applies to a score or a prediction, not to the values the graph shows. */
const SCORE_FUNCTIONS = /\b(?:anomalies|outliers|forecast)\s*\(/i;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The metric expression of a metric monitor, with its comparison: `avg(last_5m):sum:x{service:web} by
 * {resource_name} > 5` gives `sum:x{service:web} by {resource_name}`, `>` and 5. Null for any other monitor type,
 * and for a query that cannot be read safely: no time aggregation prefix or comparison, a change or
 * anomaly/outlier/forecast monitor (its threshold is not on the graphed values), unbalanced brackets or quotes,
 * or another comparison left in the expression.
 */
export function metricQueryOf(monitor: { type: unknown; query: unknown }): MetricQuery | null {
  const { type, query } = monitor;
  if (typeof type !== 'string' || !METRIC_MONITOR_TYPES.has(type.trim().toLowerCase())) return null;
  if (typeof query !== 'string' || query.length > MAX_MONITOR_QUERY_LENGTH || CONTROL.test(query))
    return null;
  const text = query.replace(/\s+/g, ' ').trim();
  const prefix = TIME_PREFIX.exec(text);
  const comparison = COMPARISON.exec(text);
  if (prefix === null || comparison === null) return null;
  const [whole, aggregation = '', count = '', unit = ''] = prefix;
  const [, comparator, thresholdText = ''] = comparison;
  const timeAggregation = aggregation.toLowerCase();
  const evaluationWindowSeconds = Number(count) * (WINDOW_UNITS.get(unit.toLowerCase()) ?? NaN);
  const threshold = Number(thresholdText);
  const expression = text.slice(whole.length, comparison.index).trim();
  if (
    !TIME_AGGREGATIONS.has(timeAggregation) ||
    !(evaluationWindowSeconds > 0 && evaluationWindowSeconds <= MAX_EVALUATION_WINDOW_SECONDS) ||
    !Number.isFinite(threshold) ||
    !isComparator(comparator) ||
    !isQueryable(expression)
  )
    return null;
  return { query: expression, comparator, threshold, timeAggregation, evaluationWindowSeconds };
}

export function isComparator(value: unknown): value is Comparator {
  return (COMPARATORS as readonly unknown[]).includes(value);
}

/** Names a scoped metric, uses no score function, and has brackets and quotes that close, no comparison outside. */
function isQueryable(expression: string): boolean {
  if (!METRIC_WITH_SCOPE.test(expression) || SCORE_FUNCTIONS.test(expression)) return false;
  const closing: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const open: string[] = [];
  let quote: string | null = null;
  for (const c of expression) {
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c in closing) open.push(closing[c] ?? '');
    else if (c === ')' || c === '}' || c === ']') {
      if (open.pop() !== c) return false;
    } else if ((c === '<' || c === '>' || c === '=') && !open.includes('}')) return false;
  }
  return quote === null && open.length === 0;
}

export interface MarginRules {
  /** The margin is this share of the incident's duration (0.5: half of it)... */
  durationFraction: number;
  /** ...but at least this long... */
  minMarginSeconds: number;
  /** ...and at most this long. */
  maxMarginSeconds: number;
  /** When given, the window ends no later than this (an incident resolved a minute ago has no data after now). */
  now?: Date;
}

export const DEFAULT_MARGIN_RULES: MarginRules = {
  durationFraction: 0.5,
  minMarginSeconds: 30 * 60,
  maxMarginSeconds: 3 * 3600,
};

export interface MetricWindow {
  fromSeconds: number;
  toSeconds: number;
  marginSeconds: number;
}

/**
 * The window to query, in epoch seconds: from a margin before detection to a margin after resolution, the margin
 * being half the duration (by default) held between 30 min and 3 h. Throws a RangeError for invalid dates or
 * rules, or a resolution before detection.
 */
export function metricWindow(
  detectedAt: Date,
  resolvedAt: Date,
  rules: Partial<MarginRules> = {},
): MetricWindow {
  const { durationFraction, minMarginSeconds, maxMarginSeconds, now } = { ...DEFAULT_MARGIN_RULES, ...rules };
  const detected = detectedAt.getTime() / 1000;
  const resolved = resolvedAt.getTime() / 1000;
  if (!Number.isFinite(detected) || !Number.isFinite(resolved) || resolved < detected)
    throw new RangeError('the metric window needs a detection at or before a resolution');
  if (
    !(durationFraction >= 0) ||
    !(minMarginSeconds >= 0) ||
    !(maxMarginSeconds >= minMarginSeconds) ||
    !Number.isFinite(maxMarginSeconds)
  )
    throw new RangeError('margin rules must be finite, non-negative and min <= max');
  const marginSeconds = Math.round(
    Math.min(maxMarginSeconds, Math.max(minMarginSeconds, (resolved - detected) * durationFraction)),
  );
  const latest = now === undefined ? Infinity : Math.max(resolved, now.getTime() / 1000);
  return {
    fromSeconds: Math.floor(detected - marginSeconds),
    toSeconds: Math.ceil(Math.min(resolved + marginSeconds, latest)),
    marginSeconds,
  };
}
