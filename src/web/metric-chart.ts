/**
 * The monitor's metric over the incident window as an SVG chart drawn on the server (no script, no CDN): each
 * stored series a line, the threshold a dashed line, detection and resolution marked. Pure geometry here; the
 * template draws it.
 */
import type { PostmortemFacts } from '../domain/postmortem';
import { formatClock, zoneName } from '../domain/time-format';

export const CHART = { width: 720, height: 240, left: 56, right: 16, top: 16, bottom: 32 } as const;

export interface MetricChart {
  title: string;
  /** One `d` attribute per series (a gap where a point has no value). */
  paths: string[];
  threshold: { y: number; label: string } | null;
  marks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  /** What a screen reader hears instead of the picture. */
  description: string;
}

const round = (n: number) => Math.round(n * 10) / 10;

function tickLabel(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${round(value / 1e6)}M`;
  if (abs >= 1e3) return `${round(value / 1e3)}k`;
  return String(Math.round(value * 100) / 100);
}

export function metricCharts(
  facts: Pick<PostmortemFacts, 'metrics' | 'detectedAt' | 'resolvedAt'>,
  timezone: string,
): MetricChart[] {
  return (facts.metrics ?? []).flatMap((metric) => {
    const points = metric.series.flatMap((s) => s.points.filter(([, v]) => v !== null)) as [number, number][];
    if (points.length === 0) return [];
    const fromMs = metric.fromSeconds * 1000;
    const toMs = Math.max(metric.toSeconds * 1000, fromMs + 1);
    const values = [...points.map(([, v]) => v), metric.threshold];
    let min = Math.min(0, ...values);
    let max = Math.max(...values);
    if (max === min) max = min + 1;
    max += (max - min) * 0.05;
    min = min < 0 ? min - (max - min) * 0.05 : min;
    const plotW = CHART.width - CHART.left - CHART.right;
    const plotH = CHART.height - CHART.top - CHART.bottom;
    const x = (ms: number) => round(CHART.left + ((ms - fromMs) / (toMs - fromMs)) * plotW);
    const y = (v: number) => round(CHART.top + (1 - (v - min) / (max - min)) * plotH);
    const paths = metric.series.map((series) => {
      let d = '';
      let pen = false;
      for (const [at, value] of series.points) {
        if (value === null || at < fromMs || at > toMs) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${x(at)} ${y(value)} `;
        pen = true;
      }
      return d.trim();
    });
    const clock = (date: Date) => `${formatClock(date, timezone)} ${zoneName(date, timezone)}`;
    const marks = [
      { at: facts.detectedAt, label: `detected ${clock(facts.detectedAt)}` },
      { at: facts.resolvedAt, label: `resolved ${clock(facts.resolvedAt)}` },
    ]
      .filter((m) => m.at.getTime() >= fromMs && m.at.getTime() <= toMs)
      .map((m) => ({ x: x(m.at.getTime()), label: m.label }));
    const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
      const value = min + (max - min) * f;
      return { y: y(value), label: tickLabel(value) };
    });
    const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
      const ms = fromMs + (toMs - fromMs) * f;
      return { x: x(ms), label: formatClock(new Date(ms), timezone) };
    });
    const peak = metric.impactLine ?? '';
    return [
      {
        title: metric.query,
        paths: paths.filter((d) => d.length > 0),
        threshold: { y: y(metric.threshold), label: `threshold ${tickLabel(metric.threshold)}` },
        marks,
        yTicks,
        xTicks,
        description:
          `${metric.query} from ${clock(new Date(fromMs))} to ${clock(new Date(toMs))}. ${peak}`.trim(),
      },
    ];
  });
}
