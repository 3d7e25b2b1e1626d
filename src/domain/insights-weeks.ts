/**
 * Insights by ISO week, for a reader to see at a glance: every week (Monday to Sunday, in the display zone) the
 * period touches, with the incidents detected in it and the median time to recover of its resolved ones.
 * A week the period covers only part of says so (`partial`), so its smaller count is not read as a trend.
 */
import { addDays, startOfDayIn, weekStartIn } from './calendar';
import { percentile } from './percentiles';

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface WeekPoint {
  /** The Monday, `YYYY-MM-DD`, in the display zone. */
  weekStart: string;
  partial: boolean;
  incidents: number;
  resolved: number;
  /** Nearest rank (percentiles.ts); null when none of the week's incidents is resolved. */
  timeToRecoverMedianSeconds: number | null;
}

export class WeekTally {
  private readonly incidents = new Map<string, number>();
  private readonly recoveries = new Map<string, number[]>();

  constructor(private readonly timezone: string) {}

  /** Counts an incident in the week of its detection, with its time to recover when resolved. */
  add(detectedAt: Date, timeToRecoverSeconds: number | null): void {
    const week = weekStartIn(detectedAt, this.timezone);
    this.incidents.set(week, (this.incidents.get(week) ?? 0) + 1);
    if (timeToRecoverSeconds === null) return;
    const recoveries = this.recoveries.get(week) ?? [];
    recoveries.push(timeToRecoverSeconds);
    this.recoveries.set(week, recoveries);
  }

  /** Every week the period touches, oldest first, weeks without incidents included. */
  points(period: Period): WeekPoint[] {
    if (period.to.getTime() <= period.from.getTime()) return [];
    const first = weekStartIn(period.from, this.timezone);
    const last = weekStartIn(new Date(period.to.getTime() - 1), this.timezone);
    const starts: string[] = [];
    for (let week = first; week <= last; week = addDays(week, 7)) starts.push(week);
    const startsCleanly = startOfDayIn(first, this.timezone).getTime() === period.from.getTime();
    const endsCleanly = startOfDayIn(addDays(last, 7), this.timezone).getTime() === period.to.getTime();
    return starts.map((weekStart, i) => {
      const ttr = [...(this.recoveries.get(weekStart) ?? [])].sort((a, b) => a - b);
      return {
        weekStart,
        partial: (i === 0 && !startsCleanly) || (i === starts.length - 1 && !endsCleanly),
        incidents: this.incidents.get(weekStart) ?? 0,
        resolved: ttr.length,
        timeToRecoverMedianSeconds: percentile(ttr, 50),
      };
    });
  }
}
