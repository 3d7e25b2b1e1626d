/** Event times as monitors write them (src/payloads/times.ts). */
import { ValidationError } from '../../src/errors';
import {
  decideEventTime,
  epochUnitOf,
  fromEpoch,
  fromWallTime,
  isPlausibleEventTime,
  parseIsoTime,
  parseTime,
} from '../../src/payloads/times';

const iso = (value: unknown, options = {}) => parseTime('at', value, options)?.toISOString() ?? null;

describe('parseTime: ISO-8601', () => {
  it.each([
    ['2026-06-14T10:00:00Z', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T10:00:00z', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T12:00:00+02:00', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T12:00:00+0200', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T12:00:00+02', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T05:30:00-04:30', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T10:00:00.123+0000', '2026-06-14T10:00:00.123Z'],
    ['2026-06-14T10:00:00.1234567Z', '2026-06-14T10:00:00.123Z'],
    ['2026-06-14T10:00:00.123456789Z', '2026-06-14T10:00:00.123Z'],
    ['2026-06-14T10:00:00,5Z', '2026-06-14T10:00:00.500Z'],
    ['2026-06-14T10:00:00.9999Z', '2026-06-14T10:00:00.999Z'],
    ['2026-06-14 10:00:00', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T10:00', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14', '2026-06-14T00:00:00.000Z'],
    ['  2026-06-14T10:00:00Z  ', '2026-06-14T10:00:00.000Z'],
  ])('when the time is %s, then it is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    ['2026-02-30T10:00:00Z'],
    ['2026-13-01T10:00:00Z'],
    ['2026-06-14T24:00:00Z'],
    ['2026-06-14T10:60:00Z'],
    ['2026-06-14T10:00:60Z'],
    ['14/06/2026 10:00'],
    ['yesterday'],
    ['2026-06-14T10:00:00+2'],
    ['2026-06-14T10:00:00.1234567890Z'],
  ])('when the time is %s, then it is refused, naming the field', (text) => {
    expect(() => parseTime('data.at', text)).toThrow(
      expect.objectContaining({
        field: 'data.at',
        message: expect.stringContaining('is not a time'),
      }) as ValidationError,
    );
  });

  it('when a zone-less time comes with a zone, then it is that zone wall-clock time', () => {
    expect(iso('2026-06-14 12:00:00', { zone: 'Europe/Paris' })).toBe('2026-06-14T10:00:00.000Z');
    expect(iso('2026-01-14 12:00:00', { zone: 'Europe/Paris' })).toBe('2026-01-14T11:00:00.000Z');
    expect(iso('2026-01-14 12:00:00', { zone: 'America/New_York' })).toBe('2026-01-14T17:00:00.000Z');
    expect(iso('2026-01-14 12:00:00', { zone: 'Asia/Kolkata' })).toBe('2026-01-14T06:30:00.000Z');
  });

  it('when a time carries its own offset, then the configured zone does not move it', () => {
    expect(iso('2026-06-14T12:00:00+02:00', { zone: 'America/New_York' })).toBe('2026-06-14T10:00:00.000Z');
    expect(iso('2026-06-14T10:00:00Z', { zone: 'Asia/Kolkata' })).toBe('2026-06-14T10:00:00.000Z');
  });

  it('when clocks go back and an hour repeats, then the first of the two is read', () => {
    expect(iso('2026-10-25 02:30:00', { zone: 'Europe/Paris' })).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25 03:30:00', { zone: 'Europe/Paris' })).toBe('2026-10-25T02:30:00.000Z');
  });

  it('when clocks go forward and an hour is skipped, then the time is read with the offset before the change', () => {
    expect(iso('2026-03-29 02:30:00', { zone: 'Europe/Paris' })).toBe('2026-03-29T01:30:00.000Z');
    expect(iso('2026-03-29 01:30:00', { zone: 'Europe/Paris' })).toBe('2026-03-29T00:30:00.000Z');
    expect(iso('2026-03-29 03:30:00', { zone: 'Europe/Paris' })).toBe('2026-03-29T01:30:00.000Z');
  });

  it('when fromWallTime is given a wall time in UTC, then it is that instant', () => {
    expect(fromWallTime(Date.UTC(2026, 5, 14, 10), 'UTC')).toBe(Date.UTC(2026, 5, 14, 10));
    expect(fromWallTime(Date.UTC(2026, 5, 14, 10), 'Asia/Tokyo')).toBe(Date.UTC(2026, 5, 14, 1));
  });

  it('when the year is below 100, then it is that year, not one of the 1900s', () => {
    expect(iso('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(iso('0099-12-31T23:59:59Z')).toBe('0099-12-31T23:59:59.000Z');
  });

  it('when parseIsoTime gets no zone, then it reads UTC', () => {
    expect(parseIsoTime('at', '2026-06-14 10:00:00').toISOString()).toBe('2026-06-14T10:00:00.000Z');
  });
});

describe('parseTime: epochs', () => {
  it.each([
    [1781431200, '2026-06-14T10:00:00.000Z'],
    ['1781431200', '2026-06-14T10:00:00.000Z'],
    [1781431200.5, '2026-06-14T10:00:00.500Z'],
    [1781431200123, '2026-06-14T10:00:00.123Z'],
    ['1781431200123', '2026-06-14T10:00:00.123Z'],
    [1781431200123456, '2026-06-14T10:00:00.123Z'],
    ['1781431200123456789', '2026-06-14T10:00:00.123Z'],
    [0, '1970-01-01T00:00:00.000Z'],
  ])('when the epoch is %s, then its unit is told by its size: %s', (value, expected) => {
    expect(iso(value)).toBe(expected);
  });

  it('when the unit is given, then the size does not decide', () => {
    expect(iso(1781431200, { epochUnit: 'ms' })).toBe('1970-01-21T14:50:31.200Z');
    expect(iso('1781431200123456789', { epochUnit: 'ns' })).toBe('2026-06-14T10:00:00.123Z');
    expect(iso(1781431200123456, { epochUnit: 'us' })).toBe('2026-06-14T10:00:00.123Z');
    expect(iso(1781431200, { epochUnit: 's' })).toBe('2026-06-14T10:00:00.000Z');
  });

  it.each([
    [99_999_999_999, 's'],
    [100_000_000_000, 'ms'],
    [99_999_999_999_999, 'ms'],
    [100_000_000_000_000, 'us'],
    [99_999_999_999_999_999, 'ns'],
    [-1781431200, 's'],
    [-1781431200123, 'ms'],
  ])('when the epoch is %s, then it is read in %s', (epoch, unit) => {
    expect(epochUnitOf(epoch)).toBe(unit);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [1e300]])(
    'when the epoch is %s, then it is refused',
    (epoch) => {
      expect(() => fromEpoch('at', epoch)).toThrow(
        expect.objectContaining({ field: 'at' }) as ValidationError,
      );
    },
  );

  it('when the value is absent or empty, then there is no time', () => {
    expect([iso(undefined), iso(null), iso(''), iso('   ')]).toEqual([null, null, null, null]);
  });

  it.each([[{}], [[]], [true]])('when the value is %j, then it is refused as no time', (value) => {
    expect(() => parseTime('x.y', value)).toThrow(
      expect.objectContaining({
        field: 'x.y',
        message: 'x.y: must be a time (text or a number)',
      }) as ValidationError,
    );
  });
});

describe('decideEventTime', () => {
  const receivedAt = new Date('2026-06-14T10:02:30Z');

  it('when the first candidate is a plausible time, then it is the event time, from the source', () => {
    expect(
      decideEventTime(
        [
          ['a', '2026-06-14T10:00:00Z'],
          ['b', '2026-06-14T09:00:00Z'],
        ],
        receivedAt,
      ),
    ).toEqual({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
  });

  it('when the first candidate is absent, then the next is used', () => {
    expect(
      decideEventTime(
        [
          ['a', undefined],
          ['b', 1781431200],
        ],
        receivedAt,
      ),
    ).toEqual({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
  });

  it('when no candidate is present, then the receipt time is used and the alert says so', () => {
    expect(decideEventTime([['a', null]], receivedAt)).toEqual({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
    expect(decideEventTime([], receivedAt)).toEqual({ at: '2026-06-14T10:02:30.000Z', atOrigin: 'received' });
  });

  it.each([
    ['zero', 0],
    ['negative', -1781431200],
    ['before 2000', '1999-12-31T23:59:59Z'],
    ['more than an hour ahead', '2026-06-14T11:02:31Z'],
    ['far in the future', '2999-01-01T00:00:00Z'],
  ])(
    'when the first present time is %s, then the receipt time is used, not a later candidate',
    (_what, value) => {
      expect(
        decideEventTime(
          [
            ['a', value],
            ['b', '2026-06-14T10:00:00Z'],
          ],
          receivedAt,
        ),
      ).toEqual({
        at: '2026-06-14T10:02:30.000Z',
        atOrigin: 'received',
      });
    },
  );

  it('when a candidate is present but no time, then it is refused, naming it', () => {
    expect(() => decideEventTime([['data.firedAt', 'soon']], receivedAt)).toThrow(
      expect.objectContaining({ field: 'data.firedAt' }) as ValidationError,
    );
  });

  it('when the zone option is given, then zone-less candidates are read in it', () => {
    expect(decideEventTime([['a', '2026-06-14 12:00:00']], receivedAt, { zone: 'Europe/Paris' }).at).toBe(
      '2026-06-14T10:00:00.000Z',
    );
  });

  it('when a time is exactly at the bounds, then it is still plausible', () => {
    expect(isPlausibleEventTime(new Date('2000-01-01T00:00:00Z'), receivedAt)).toBe(true);
    expect(isPlausibleEventTime(new Date('1999-12-31T23:59:59.999Z'), receivedAt)).toBe(false);
    expect(isPlausibleEventTime(new Date(receivedAt.getTime() + 3600_000), receivedAt)).toBe(true);
    expect(isPlausibleEventTime(new Date(receivedAt.getTime() + 3600_001), receivedAt)).toBe(false);
  });
});
