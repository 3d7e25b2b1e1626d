/**
 * Event times as monitors write them: ISO-8601 with `Z`, `+02:00`, `+0200` or no zone; epoch seconds,
 * milliseconds, microseconds or nanoseconds, as numbers or digit strings; up to nine fractional digits.
 * A value that is no time is a ValidationError naming its field; a time that is a time but cannot be the
 * event's (before 2000, or more than an hour after its receipt) gives way to the receipt time, and the alert
 * says so (`atOrigin: 'received'`): an alert is never lost to a monitor's clock.
 */
import type { Alert } from '../domain/alert';
import { ValidationError } from '../errors';

export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

export interface TimeOptions {
  /** The IANA zone of a time written without one (Zabbix: ZABBIX_TIMEZONE); UTC by default. */
  zone?: string;
  /** The unit of an epoch number; by default told by its size. */
  epochUnit?: EpochUnit;
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH_DIGITS = /^-?\d+(?:\.\d+)?$/;

/** The earliest and the latest (after receipt) an event time may plausibly be. */
const EARLIEST = Date.UTC(2000, 0, 1);
const MAX_AHEAD_MS = 3600_000;

/** The unit an epoch number is in, told by its size (1e11 s is the year 5138; 1e11 ms is 1973). */
export function epochUnitOf(epoch: number): EpochUnit {
  const size = Math.abs(epoch);
  if (size < 1e11) return 's';
  if (size < 1e14) return 'ms';
  if (size < 1e17) return 'us';
  return 'ns';
}

const MS_PER: Record<EpochUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

export function fromEpoch(path: string, epoch: number, unit: EpochUnit = epochUnitOf(epoch)): Date {
  const date = new Date(Math.round(epoch * MS_PER[unit]));
  if (!Number.isFinite(epoch) || Number.isNaN(date.getTime()))
    throw new ValidationError(path, `is not a time: ${String(epoch).slice(0, 40)}`);
  return date;
}

/** The offset of `zone` from UTC at the instant `utcMs`, in milliseconds. */
function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A wall-clock time in `zone` as an instant. In an hour repeated when clocks go back, the first of the two; in
 * an hour skipped when they go forward, the time read with the offset before the change.
 */
export function fromWallTime(wallAsUtcMs: number, zone: string): number {
  const HALF_DAY = 12 * 3600_000;
  const before = zoneOffsetMs(zone, wallAsUtcMs - HALF_DAY);
  const after = zoneOffsetMs(zone, wallAsUtcMs + HALF_DAY);
  const valid = [before, after]
    .map((offset) => wallAsUtcMs - offset)
    .filter((instant) => wallAsUtcMs - zoneOffsetMs(zone, instant) === instant);
  return valid.length > 0 ? Math.min(...valid) : wallAsUtcMs - before;
}

/** The UTC instant of calendar fields; unlike Date.UTC, years 0-99 stay themselves (not 1900-1999). */
function utcDate([year, month, day, hours, minutes, seconds]: readonly [
  number,
  number,
  number,
  number,
  number,
  number,
]): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hours, minutes, seconds, 0);
  return date;
}

export function parseIsoTime(path: string, text: string, zone = 'UTC'): Date {
  const m = ISO_TIME.exec(text.trim());
  const bad = () => new ValidationError(path, `is not a time: ${JSON.stringify(text.slice(0, 64))}`);
  if (m === null) throw bad();
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset] = m;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const check = utcDate(fields);
  const wall = check.getTime() + Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  // The calendar rolls 2026-02-30 over into March: a field out of range is no time.
  if (
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  )
    throw bad();
  if (offset === undefined) return new Date(zone === 'UTC' ? wall : fromWallTime(wall, zone));
  if (offset.toUpperCase() === 'Z') return new Date(wall);
  const digits = offset.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
  return new Date(wall - (offset.startsWith('-') ? -1 : 1) * minutes * 60_000);
}

/** A time from a number, a digit string or ISO text; null when absent or empty. */
export function parseTime(path: string, value: unknown, options: TimeOptions = {}): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return fromEpoch(path, value, options.epochUnit);
  if (typeof value !== 'string') throw new ValidationError(path, 'must be a time (text or a number)');
  const text = value.trim();
  if (text === '') return null;
  if (EPOCH_DIGITS.test(text)) return fromEpoch(path, Number(text), options.epochUnit);
  return parseIsoTime(path, text, options.zone);
}

/** Whether a parsed time can be the event's: not before 2000, not more than an hour after its receipt. */
export function isPlausibleEventTime(at: Date, receivedAt: Date): boolean {
  return at.getTime() >= EARLIEST && at.getTime() <= receivedAt.getTime() + MAX_AHEAD_MS;
}

/**
 * The event time: the first candidate the payload carries, when plausible; else the receipt time, saying so.
 * A candidate that is present but no time is refused (a ValidationError naming it).
 */
export function decideEventTime(
  candidates: ReadonlyArray<readonly [path: string, value: unknown]>,
  receivedAt: Date,
  options: TimeOptions = {},
): Pick<Alert, 'at' | 'atOrigin'> {
  for (const [path, value] of candidates) {
    const at = parseTime(path, value, options);
    if (at === null) continue;
    if (isPlausibleEventTime(at, receivedAt)) return { at: at.toISOString(), atOrigin: 'source' };
    break;
  }
  return { at: receivedAt.toISOString(), atOrigin: 'received' };
}

/** Whether Intl knows `zone` as a time zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
