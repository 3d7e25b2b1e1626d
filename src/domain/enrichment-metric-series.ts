/**
 * The series of a v1.MetricsApi.queryMetrics answer (a MetricsQueryResponse, as the client deserializes it),
 * read as untrusted input into plain bounded data a postmortem can store and a page can draw: a few series, a
 * bounded number of points each, finite numbers, plausible times, capped strings. Anything else is a refusal
 * with a reason, never a throw.
 */
import { LIMITS, capText, field, isRecord, type JsonRecord } from '../payloads/values';

/** `[epoch milliseconds, value]`; a null value is a gap (no data at that time). */
export type MetricPoint = [atMs: number, value: number | null];

export interface MetricSeries {
  /** The series' own expression, `sum:trace.http.request.errors{service:web,resource_name:get_/}`. */
  expression: string | null;
  /** The group it stands for, `resource_name:get_/,service:web`. */
  scope: string | null;
  metric: string | null;
  /** `request`, `byte/second`; null when Datadog names none. */
  unit: string | null;
  intervalSeconds: number | null;
  /** In time order, one per time. */
  points: MetricPoint[];
}

export interface SeriesLimits {
  /** Series kept; when there are more, the most extreme ones (see `direction`), else the first. */
  maxSeries: number;
  /** Points kept per series (at least 2); more are downsampled evenly, each slice keeping its extremes. */
  maxPoints: number;
  /** An answer with more series than this is refused. */
  maxSeriesRead: number;
  /** An answer with more points than this, over all its series, is refused. */
  maxPointsRead: number;
  /** Which series are the most extreme: the highest peaks, or the lowest troughs. */
  direction?: 'peak' | 'trough';
}

export const DEFAULT_SERIES_LIMITS: SeriesLimits = {
  maxSeries: 10,
  maxPoints: 500,
  maxSeriesRead: 1000,
  maxPointsRead: 200_000,
};

export type MetricSeriesRead =
  | {
      kind: 'series';
      series: MetricSeries[];
      /** Series left out beyond `maxSeries`. */
      omittedSeries: number;
      /** Points dropped for a time that is not plausible, or made gaps for a value that is not a number. */
      invalidPoints: number;
    }
  | { kind: 'refused'; reason: string };

/** Times before 2000 or after 2100 are not a monitor's. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);
const MAX_UNIT_LENGTH = 50;

/** The series of a MetricsQueryResponse, bounded; a refusal for an answer that is an error or not one. */
export function readMetricSeries(response: unknown, limits: Partial<SeriesLimits> = {}): MetricSeriesRead {
  const bounds = { ...DEFAULT_SERIES_LIMITS, ...limits };
  try {
    return readResponse(response, bounds);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'unknown error';
    return refused(`the answer could not be read (${capText(detail, 200)})`);
  }
}

function readResponse(response: unknown, limits: SeriesLimits): MetricSeriesRead {
  if (!isRecord(response)) return refused('the answer is not an object');
  const error = field(response, 'error');
  if (field(response, 'status') === 'error' || (typeof error === 'string' && error.trim() !== ''))
    return refused(
      `Datadog answered an error: ${typeof error === 'string' ? capText(error, 200) : 'none given'}`,
    );
  const list = field(response, 'series');
  if (list === undefined || list === null)
    return { kind: 'series', series: [], omittedSeries: 0, invalidPoints: 0 };
  if (!Array.isArray(list)) return refused('series is not a list');
  if (list.length > limits.maxSeriesRead)
    return refused(`the answer has ${list.length} series; at most ${limits.maxSeriesRead} are read`);
  const records: JsonRecord[] = [];
  let total = 0;
  for (const [index, item] of list.entries()) {
    if (!isRecord(item)) return refused(`series[${index}] is not an object`);
    const pointlist = field(item, 'pointlist') ?? [];
    if (!Array.isArray(pointlist)) return refused(`series[${index}].pointlist is not a list`);
    total += pointlist.length;
    records.push(item);
  }
  if (total > limits.maxPointsRead)
    return refused(`the answer has ${total} points; at most ${limits.maxPointsRead} are read`);
  let invalidPoints = 0;
  const read = records.map((record) => {
    const { points, invalid } = readPoints(field(record, 'pointlist'));
    invalidPoints += invalid;
    return seriesOf(record, points);
  });
  const kept = mostExtreme(read, Math.max(1, Math.floor(limits.maxSeries)), limits.direction);
  const maxPoints = Math.max(2, Math.floor(limits.maxPoints));
  return {
    kind: 'series',
    series: kept.map((s) => ({ ...s, points: downsample(s.points, maxPoints) })),
    omittedSeries: read.length - kept.length,
    invalidPoints,
  };
}

function seriesOf(record: JsonRecord, points: MetricPoint[]): MetricSeries {
  const interval = field(record, 'interval');
  return {
    expression: textOf(field(record, 'expression'), LIMITS.text),
    scope: textOf(field(record, 'scope'), LIMITS.text),
    metric: textOf(field(record, 'metric'), LIMITS.text),
    unit: unitOf(field(record, 'unit')),
    intervalSeconds:
      typeof interval === 'number' && interval > 0 && interval <= 366 * 86400 ? interval : null,
    points,
  };
}

/** Points in time order, one per time; a point without a plausible time is dropped, a non-number value is a gap. */
function readPoints(pointlist: unknown): { points: MetricPoint[]; invalid: number } {
  const points: MetricPoint[] = [];
  let invalid = 0;
  for (const item of Array.isArray(pointlist) ? (pointlist as unknown[]) : []) {
    const at: unknown = Array.isArray(item) ? item[0] : undefined;
    const value: unknown = Array.isArray(item) ? item[1] : undefined;
    if (typeof at !== 'number' || !(at >= EARLIEST_MS && at <= LATEST_MS)) {
      invalid += 1;
      continue;
    }
    const finite = typeof value === 'number' && Number.isFinite(value);
    if (!finite && value !== null) invalid += 1;
    points.push([at, finite ? value : null]);
  }
  points.sort((a, b) => a[0] - b[0]);
  return { points: points.filter((p, i) => i === 0 || p[0] !== points[i - 1]?.[0]), invalid };
}

/** `unit: [unit, per-unit]`, each a MetricsQueryUnit or null: `byte/second`. */
function unitOf(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const [unit, per] = (value as unknown[]).map((u) =>
    isRecord(u)
      ? (textOf(field(u, 'shortName'), MAX_UNIT_LENGTH) ?? textOf(field(u, 'name'), MAX_UNIT_LENGTH))
      : null,
  );
  if (unit === null || unit === undefined) return null;
  return per === null || per === undefined ? unit : `${unit}/${per}`;
}

function textOf(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : capText(text, max);
}

/** The `max` series with the most extreme values, in their original order; without a direction, the first. */
function mostExtreme(
  series: MetricSeries[],
  max: number,
  direction: SeriesLimits['direction'],
): MetricSeries[] {
  if (series.length <= max || direction === undefined) return series.slice(0, max);
  const sign = direction === 'peak' ? 1 : -1;
  const extreme = (s: MetricSeries) =>
    s.points.reduce((best, [, v]) => (v === null ? best : Math.max(best, sign * v)), -Infinity);
  const ranked = series
    .map((s, index) => ({ index, score: extreme(s) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, max)
    .map((r) => r.index)
    .sort((a, b) => a - b);
  return ranked.flatMap((i) => series[i] ?? []);
}

/**
 * At most `max` points: the series cut into max/2 even slices, each keeping its lowest and highest points in
 * time order (a slice of gaps keeps one gap), so the peak and the trough survive.
 */
export function downsample(points: readonly MetricPoint[], max: number): MetricPoint[] {
  if (points.length <= max) return [...points];
  const slices = Math.max(1, Math.floor(max / 2));
  const kept: MetricPoint[] = [];
  for (let s = 0; s < slices; s += 1) {
    const start = Math.floor((s * points.length) / slices);
    const end = Math.floor(((s + 1) * points.length) / slices);
    let low = -1;
    let high = -1;
    for (let i = start; i < end; i += 1) {
      const v = points[i]?.[1] ?? null;
      if (v === null) continue;
      if (low < 0 || v < (points[low]?.[1] ?? v)) low = i;
      if (high < 0 || v > (points[high]?.[1] ?? v)) high = i;
    }
    const picks = low < 0 ? [start] : low === high ? [low] : [Math.min(low, high), Math.max(low, high)];
    for (const i of picks) {
      const point = points[i];
      if (point !== undefined) kept.push(point);
    }
  }
  return kept;
}

function refused(reason: string): MetricSeriesRead {
  return { kind: 'refused', reason };
}
