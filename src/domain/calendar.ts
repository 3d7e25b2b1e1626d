/**
 * Calendar dates (`YYYY-MM-DD`) and ISO weeks (Monday to Sunday) as they fall in an IANA zone. The zone is
 * read through Intl (time-format.ts); arithmetic on dates is done on the date alone, so no day is 23 or 25
 * hours long here.
 */
import { formatDate } from './time-format';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(date: string): number {
  const m = DATE.exec(date);
  if (m === null) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The date `days` days after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(utcDay(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday on or before `date`: the first day of its ISO week. */
export function isoWeekStart(date: string): string {
  const weekday = new Date(utcDay(date)).getUTCDay(); // 0 is Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The first day of the ISO week the instant falls in, in the zone. */
export function weekStartIn(instant: Date, timeZone: string): string {
  return isoWeekStart(formatDate(instant, timeZone));
}

/**
 * The first instant of the date in the zone: its midnight, or where the zone skips midnight (a daylight-saving
 * change at 00:00), the first minute the date has. Found by bisection over whole minutes, which every zone's
 * offset of today is a multiple of.
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  const MINUTE = 60_000;
  // Zones are at most 14 hours ahead of UTC and 12 behind: the answer lies in this window.
  let low = (utcDay(date) - 15 * 3_600_000) / MINUTE; // before the date, in every zone
  let high = (utcDay(date) + 15 * 3_600_000) / MINUTE; // within or after the date, in every zone
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (formatDate(new Date(mid * MINUTE), timeZone) < date) low = mid;
    else high = mid;
  }
  return new Date(high * MINUTE);
}
