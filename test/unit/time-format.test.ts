import {
  formatClock,
  formatDate,
  formatDateTime,
  formatDuration,
  zoneLabel,
  zoneName,
} from '../../src/domain/time-format';
import { zoneNamesAt } from '../helpers/postmortems';

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [0.4, '0 min'],
    [1, '1 s'],
    [45, '45 s'],
    [59, '59 s'],
    [59.6, '1 min'],
    [60, '1 min'],
    [89, '1 min'],
    [90, '2 min'],
    [5 * 60, '5 min'],
    [92 * 60, '1 h 32 min'],
    [92 * 60 + 29, '1 h 32 min'],
    [2 * 3600, '2 h'],
    [2 * 3600 - 10, '2 h'],
    [24 * 3600, '1 d'],
    [27 * 3600 + 5 * 60, '1 d 3 h 5 min'],
    [24 * 3600 + 5 * 60, '1 d 5 min'],
    [3 * 24 * 3600 + 3600, '3 d 1 h'],
  ])('when the duration is %p s, then it reads %p', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('when the duration is negative or not a number, then it is refused', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('clock, date and zone name', () => {
  const referenceStart = new Date('2019-06-28T17:26:00Z');

  it('when the zone is UTC, then the times are the UTC ones named UTC', () => {
    expect(formatClock(referenceStart, 'UTC')).toBe('17:26');
    expect(formatDate(referenceStart, 'UTC')).toBe('2019-06-28');
    expect(formatDateTime(referenceStart, 'UTC')).toBe('2019-06-28 17:26');
    expect(zoneName(referenceStart, 'UTC')).toBe('UTC');
  });

  it('when the zone is Africa/Lagos, then 17:26 UTC reads 18:26 West Africa Time', () => {
    expect(formatClock(referenceStart, 'Africa/Lagos')).toBe('18:26');
    expect(formatDateTime(referenceStart, 'Africa/Lagos')).toBe('2019-06-28 18:26');
    expect(zoneNamesAt('Africa/Lagos', referenceStart)).toContain(zoneName(referenceStart, 'Africa/Lagos'));
  });

  it('when midnight passes in the zone but not in UTC, then the date is the zone’s', () => {
    const lateEvening = new Date('2019-06-28T23:10:00Z');
    expect(formatDate(lateEvening, 'UTC')).toBe('2019-06-28');
    expect(formatDate(lateEvening, 'Africa/Lagos')).toBe('2019-06-29');
    expect(formatClock(lateEvening, 'Africa/Lagos')).toBe('00:10');
  });

  it('when the hour is midnight, then the clock reads 00, not 24', () => {
    expect(formatClock(new Date('2026-01-01T00:05:00Z'), 'UTC')).toBe('00:05');
  });

  it('when Paris changes to summer time (2026-03-29 01:00 UTC), then the clock jumps and the name changes', () => {
    const before = new Date('2026-03-29T00:59:00Z');
    const after = new Date('2026-03-29T01:00:00Z');
    expect([formatClock(before, 'Europe/Paris'), zoneName(before, 'Europe/Paris')]).toEqual(['01:59', 'CET']);
    expect([formatClock(after, 'Europe/Paris'), zoneName(after, 'Europe/Paris')]).toEqual(['03:00', 'CEST']);
    expect(formatDateTime(after, 'Europe/Paris')).toBe('2026-03-29 03:00');
  });

  it('when the zone is not a zone, then formatting throws', () => {
    expect(() => formatClock(referenceStart, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zoneLabel', () => {
  const at = new Date('2026-03-29T00:30:00Z');

  it('when the zone has a name, then the label is the name with the short names used', () => {
    expect(zoneLabel('Europe/Paris', ['CET', 'CET', 'CEST'], at)).toBe(
      'Central European Time (CET, then CEST)',
    );
    for (const name of zoneNamesAt('Africa/Lagos', at))
      expect(zoneLabel('Africa/Lagos', [name], at)).toBe(`West Africa Time (${name})`);
  });

  it('when the zone has no name of its own, then the label is its IANA id', () => {
    expect(zoneLabel('UTC', ['UTC'], at)).toBe('UTC');
    expect(zoneLabel('Etc/GMT-3', ['GMT+3'], at)).toBe('Etc/GMT-3 (GMT+3)');
  });
});
