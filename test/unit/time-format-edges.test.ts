/** Edges of durations and dates: what a refusal says, labels without short names, years before 1000. */
import { formatDate, formatDateTime, formatDuration, zoneLabel } from '../../src/domain/time-format';

describe('formatDuration refusals', () => {
  it('when the duration is refused, then the error names the value', () => {
    expect(() => formatDuration(-90)).toThrow(new RangeError('not a duration: -90 s'));
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(
      new RangeError('not a duration: Infinity s'),
    );
  });
});

describe('zoneLabel without short names', () => {
  it('when no short names were used, then a zone without a name of its own is labelled by its IANA id alone', () => {
    const at = new Date('2026-03-29T00:30:00Z');
    expect(zoneLabel('Etc/GMT-3', [], at)).toBe('Etc/GMT-3');
  });
});

describe('years before 1000', () => {
  it('when the year has fewer than four digits, then the date is written with four', () => {
    expect(formatDate(new Date('0999-06-28T12:00:00Z'), 'UTC')).toBe('0999-06-28');
    expect(formatDateTime(new Date('0042-01-02T03:04:00Z'), 'UTC')).toBe('0042-01-02 03:04');
  });
});
