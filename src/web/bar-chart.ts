/** A bar per week as SVG geometry, drawn on the server: incidents per week, median time to recover per week. */
export const BARS = { width: 720, height: 200, left: 48, right: 8, top: 12, bottom: 36 } as const;

export interface BarChart {
  bars: { x: number; y: number; width: number; height: number; label: string; value: string }[];
  /** The largest value, written at the top of the axis. */
  max: string;
  /** For screen readers: every bar in words. */
  description: string;
}

export function barChart(
  title: string,
  points: readonly { label: string; value: number | null }[],
  format: (value: number) => string,
): BarChart {
  const values = points.map((p) => p.value ?? 0);
  const max = Math.max(1, ...values);
  const plotW = BARS.width - BARS.left - BARS.right;
  const plotH = BARS.height - BARS.top - BARS.bottom;
  const slot = points.length === 0 ? plotW : plotW / points.length;
  const bars = points.map((p, i) => {
    const height = Math.round(((p.value ?? 0) / max) * plotH * 10) / 10;
    return {
      x: Math.round((BARS.left + i * slot + slot * 0.15) * 10) / 10,
      y: Math.round((BARS.top + plotH - height) * 10) / 10,
      width: Math.max(1, Math.round(slot * 0.7 * 10) / 10),
      height,
      label: p.label,
      value: p.value === null ? 'none' : format(p.value),
    };
  });
  const description = `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join('; ') || 'no data'}`;
  return { bars, max: format(max), description };
}
