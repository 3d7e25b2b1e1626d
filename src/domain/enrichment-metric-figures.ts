/**
 * The figures a person reads off the metric's graph: the worst value and when, the threshold, when the metric
 * first crossed it and when it came back; and the Impact line that says them
 * (`Peak 12.4 at 18:31 WAT (threshold 5); first above it at 18:26, back below at 19:57.`).
 */
import type { Comparator } from './enrichment-metric';
import type { MetricSeries } from './enrichment-metric-series';
import { inlineText } from './markdown-text';
import { formatClock, formatDate, formatDateTime, zoneName } from './time-format';
import { capText } from '../payloads/values';

export interface MetricFigures {
  comparator: Comparator;
  threshold: number;
  /** The peak (for `>`, `>=`) or trough (for `<`, `<=`) of the worst series; null when no series has data. */
  worst: { value: number; at: Date; scope: string | null; unit: string | null } | null;
  /** The first point beyond the threshold of the run the monitor detected; null when it never crossed. */
  firstCrossedAt: Date | null;
  /** The first point back within the threshold after the last one beyond it; null when the data does not show it. */
  cameBackAt: Date | null;
}

export interface FigureOptions {
  comparator: Comparator;
  threshold: number;
  detectedAt: Date;
  resolvedAt: Date;
  /**
   * How long before detection the metric may have crossed: the monitor's evaluation window, plus time for its
   * evaluation and delivery. Default 6 min (a `last_5m` monitor and a minute).
   */
  leadSeconds?: number;
}

export const DEFAULT_LEAD_SECONDS = 6 * 60;

type Point = [atMs: number, value: number];

/**
 * The figures over the incident, from `leadSeconds` before detection to resolution. The worst series is the one
 * with the most extreme value there (ties: the earlier, then the first series); its crossing is the first point
 * beyond the threshold there, taken back to the start of its run; its return, the first point within after the
 * last one beyond it up to resolution. Gaps (null values) are skipped.
 */
export function metricFigures(series: readonly MetricSeries[], options: FigureOptions): MetricFigures {
  const { comparator, threshold } = options;
  const from = options.detectedAt.getTime() - (options.leadSeconds ?? DEFAULT_LEAD_SECONDS) * 1000;
  const to = options.resolvedAt.getTime();
  if (!Number.isFinite(threshold) || !Number.isFinite(from) || !Number.isFinite(to))
    throw new RangeError('metric figures need a finite threshold and valid times');
  const beyond = (p: Point | undefined) => p !== undefined && BEYOND[comparator](p[1], threshold);
  const sign = comparator === '>' || comparator === '>=' ? 1 : -1;
  const worse = (a: Point, b: Point) => sign * a[1] > sign * b[1] || (a[1] === b[1] && a[0] < b[0]);
  const worstOf = (points: Point[]) =>
    points.reduce<Point | null>((w, p) => (w === null || worse(p, w) ? p : w), null);
  const during = (p: Point) => p[0] >= from && p[0] <= to;

  let chosen: { points: Point[]; worst: Point; series: MetricSeries } | null = null;
  for (const s of series) {
    const points = valuesOf(s);
    const worst = worstOf(points.filter(during));
    if (worst !== null && (chosen === null || worse(worst, chosen.worst)))
      chosen = { points, worst, series: s };
  }
  if (chosen === null) return { comparator, threshold, worst: null, firstCrossedAt: null, cameBackAt: null };

  const { points } = chosen;
  let first = points.findIndex((p) => during(p) && beyond(p));
  while (first > 0 && beyond(points[first - 1])) first -= 1;
  const untilResolved = first < 0 ? [] : points.slice(first).filter((p) => p[0] <= to);
  // A run that began before the lead is the same problem: its worst value counts too.
  const worst = worstOf([chosen.worst, ...untilResolved]) ?? chosen.worst;
  const lastBeyond = untilResolved.filter((p) => beyond(p)).pop();
  const back = lastBeyond === undefined ? undefined : points.find((p) => p[0] > lastBeyond[0] && !beyond(p));
  return {
    comparator,
    threshold,
    worst: { value: worst[1], at: new Date(worst[0]), scope: chosen.series.scope, unit: chosen.series.unit },
    firstCrossedAt: untilResolved[0] === undefined ? null : new Date(untilResolved[0][0]),
    cameBackAt: back === undefined ? null : new Date(back[0]),
  };
}

const BEYOND: Record<Comparator, (value: number, threshold: number) => boolean> = {
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
};

/** The points with a value, in time order. */
function valuesOf(series: MetricSeries): Point[] {
  return series.points
    .filter((p): p is Point => typeof p[1] === 'number' && Number.isFinite(p[1]) && Number.isFinite(p[0]))
    .sort((a, b) => a[0] - b[0]);
}

const WORDS: Record<Comparator, { worst: string; beyond: string; back: string }> = {
  '>': { worst: 'Peak', beyond: 'above', back: 'below' },
  '>=': { worst: 'Peak', beyond: 'at or above', back: 'below' },
  '<': { worst: 'Trough', beyond: 'below', back: 'above' },
  '<=': { worst: 'Trough', beyond: 'at or below', back: 'above' },
};

/**
 * The Impact line, Markdown-safe: `Peak 12.4 at 18:31 WAT on resource_name:get_/ (threshold 5); first above it
 * at 18:26, back below at 19:57.` Times in the zone, with the date when not on the day of detection, and the
 * zone's name where it changes. Null when the metric had no data.
 */
export function metricImpactLine(
  figures: MetricFigures,
  display: { timezone: string; detectedAt: Date },
): string | null {
  const { worst, firstCrossedAt, cameBackAt } = figures;
  if (worst === null) return null;
  const words = WORDS[figures.comparator];
  const at = timesIn(display.timezone, display.detectedAt);
  const unit = worst.unit === null ? '' : ` ${inlineText(worst.unit)}`;
  const scope =
    worst.scope === null || worst.scope === '*' ? '' : ` on ${inlineText(capText(worst.scope, 200))}`;
  const head = `${words.worst} ${formatMetricValue(worst.value)}${unit} at ${at(worst.at)}${scope} (threshold ${formatMetricValue(figures.threshold)})`;
  if (firstCrossedAt === null) return `${head}; the data never went ${words.beyond} it.`;
  const crossed = `first ${words.beyond} it at ${at(firstCrossedAt)}`;
  const back =
    cameBackAt === null ? `not back ${words.back} it in the data` : `back ${words.back} at ${at(cameBackAt)}`;
  return `${head}; ${crossed}, ${back}.`;
}

/** Writes times one after another: the zone's name on the first and wherever it changes. */
function timesIn(zone: string, detectedAt: Date): (date: Date) => string {
  const day = formatDate(detectedAt, zone);
  let lastZone: string | null = null;
  return (date) => {
    const name = zoneName(date, zone);
    const clock = formatDate(date, zone) === day ? formatClock(date, zone) : formatDateTime(date, zone);
    const text = name === lastZone ? clock : `${clock} ${name}`;
    lastZone = name;
    return text;
  };
}

const SIGNIFICANT = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 4 });
const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** `12.4`, `0.00123`, `99.95`, `12,346`, `1.23e+21`: four significant digits, whole numbers from 10,000. */
export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size === 0) return '0';
  if (size >= 1e15 || size < 1e-6) return value.toPrecision(3);
  return (size >= 10_000 ? WHOLE : SIGNIFICANT).format(value);
}
