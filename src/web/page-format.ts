/** How the pages write times and durations: in DISPLAY_TIMEZONE, with the zone's name beside every time. */
import { formatDate, formatDuration, zoneName } from '../domain/time-format';

export interface ShownTime {
  /** `2026-06-14 10:05:03`, in the zone. */
  text: string;
  /** The zone's short name at that instant: `CEST`. */
  zone: string;
  /** For `<time datetime>`. */
  iso: string;
}

const clocks = new Map<string, Intl.DateTimeFormat>();
function clock(timeZone: string): Intl.DateTimeFormat {
  let format = clocks.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, format);
  }
  return format;
}

export function shownTime(date: Date, timeZone: string): ShownTime {
  return {
    text: `${formatDate(date, timeZone)} ${clock(timeZone).format(date)}`,
    zone: zoneName(date, timeZone),
    iso: date.toISOString(),
  };
}

export function shownTimeOrNull(date: Date | null, timeZone: string): ShownTime | null {
  return date === null ? null : shownTime(date, timeZone);
}

/** Seconds as a person reads them (`1 h 32 min`). */
export function shownDuration(seconds: number): string {
  return formatDuration(Math.max(0, Math.round(seconds)));
}

/** "arrived 4 min late" when Hindsight received it a minute or more after the monitor's time; else null. */
export function lateness(at: Date, receivedAt: Date): string | null {
  const seconds = (receivedAt.getTime() - at.getTime()) / 1000;
  return seconds >= 60 ? `arrived ${shownDuration(seconds)} after the monitor's time` : null;
}

/** A link a page may show: http(s) only, anything else is shown as text. */
export function safeHref(url: string | null | undefined): string | null {
  if (url === null || url === undefined || url.length > 2000) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
