/**
 * Durations and times as people write them in a postmortem: `1 h 32 min`, `18:26`, `2019-06-28`, `WAT`.
 * Times are shown in an IANA zone through Intl (no date library); the zone's short name is the one in force
 * at that instant, so a timeline across a daylight-saving change names both (`CET`, then `CEST`).
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `0 min`, `45 s` (under a minute), `5 min`, `1 h 32 min`, `2 h`, `1 d 3 h 5 min`: nearest minute above one. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`not a duration: ${seconds} s`);
  const whole = Math.round(seconds);
  if (whole === 0) return '0 min';
  if (whole < MINUTE) return `${whole} s`;
  const minutes = Math.round(whole / MINUTE) * MINUTE;
  const parts: [number, string][] = [
    [Math.floor(minutes / DAY), 'd'],
    [Math.floor((minutes % DAY) / HOUR), 'h'],
    [Math.floor((minutes % HOUR) / MINUTE), 'min'],
  ];
  return parts
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

/** `18:26`: the 24-hour clock time in the zone. */
export function formatClock(date: Date, timeZone: string): string {
  const parts = partsIn(date, timeZone);
  return `${parts.hour}:${parts.minute}`;
}

/** `2019-06-28`: the calendar date in the zone. */
export function formatDate(date: Date, timeZone: string): string {
  const parts = partsIn(date, timeZone);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `2019-06-28 18:26` in the zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  return `${formatDate(date, timeZone)} ${formatClock(date, timeZone)}`;
}

/** The zone's short name at that instant, as en-GB writes it: `UTC`, `CET`/`CEST`, `WAT` or `GMT+1`. */
export function zoneName(date: Date, timeZone: string): string {
  return namePart(formatter(timeZone, 'short'), date);
}

/**
 * The zone as a reader knows it, with the short names used: `West Africa Time (WAT)`,
 * `Central European Time (CET, then CEST)`; the IANA id where the zone has no name of its own (`UTC`,
 * `Etc/GMT-3 (GMT+3)`).
 */
export function zoneLabel(timeZone: string, shortNames: readonly string[], at: Date): string {
  const names = [...new Set(shortNames)].join(', then ');
  const generic = namePart(formatter(timeZone, 'longGeneric'), at);
  if (!generic.startsWith('GMT')) return `${generic} (${names})`;
  return names === timeZone || names === '' ? timeZone : `${timeZone} (${names})`;
}

type ZoneNameStyle = 'short' | 'longGeneric';
interface ClockParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, style: ZoneNameStyle | 'parts'): Intl.DateTimeFormat {
  const key = `${style}|${timeZone}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found =
      style === 'parts'
        ? new Intl.DateTimeFormat('en-GB', {
            timeZone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          })
        : new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: style });
    formatters.set(key, found);
  }
  return found;
}

function partsIn(date: Date, timeZone: string): ClockParts {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter(timeZone, 'parts').formatToParts(date)) parts[part.type] = part.value;
  const { year, month, day, hour, minute } = parts;
  if (!year || !month || !day || !hour || !minute) throw new Error(`cannot format ${date.toISOString()}`);
  return { year: year.padStart(4, '0'), month, day, hour, minute };
}

function namePart(format: Intl.DateTimeFormat, date: Date): string {
  const name = format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value;
  if (name === undefined) throw new Error(`no zone name for ${format.resolvedOptions().timeZone}`);
  return name;
}
