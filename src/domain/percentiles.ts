/**
 * Percentiles by nearest rank, the contract of every median and p90 Insights shows: the p-th percentile of n
 * values is the value at rank ⌈p × n / 100⌉ of the values sorted ascending (rank 1 the smallest). So a figure
 * is always a value that occurred (one incident's own time to recover), the median of an even count is the
 * lower of the two middle values, and the p90 of fewer than ten values is the largest. No values: null.
 */

/** The p-th percentile (p a whole number from 1 to 100) of values already sorted ascending. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (!Number.isInteger(p) || p < 1 || p > 100) throw new RangeError(`not a percentile: ${p}`);
  if (sortedAscending.length === 0) return null;
  // Integers throughout, so the rank is exact: p / 100 × n is not always (0.07 × 100 is 7.000000000000001).
  const rank = Math.ceil((p * sortedAscending.length) / 100);
  return sortedAscending[rank - 1] ?? null;
}

/** How many durations there were, their median and their p90 (nearest rank), in seconds. */
export interface DurationFigures {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export function durationFigures(values: readonly number[]): DurationFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianSeconds: percentile(sorted, 50), p90Seconds: percentile(sorted, 90) };
}
