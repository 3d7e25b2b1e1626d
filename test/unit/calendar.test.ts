/** Calendar dates and ISO weeks in a zone, as Insights buckets incidents and reads `from=2026-06-01`. */
import { addDays, isoWeekStart, startOfDayIn, weekStartIn } from '../../src/domain/calendar';

describe('calendar', () => {
  it.each([
    ['2026-06-15', '2026-06-15'], // a Monday
    ['2026-06-14', '2026-06-08'], // a Sunday
    ['2026-06-10', '2026-06-08'],
    ['2026-01-01', '2025-12-29'], // a Thursday: its ISO week began the year before
    ['2024-03-03', '2024-02-26'], // across a leap day
  ])('when the date is %s, then its ISO week starts on %s', (date, monday) => {
    expect(isoWeekStart(date)).toBe(monday);
  });

  it('when days are added across a month, a year or a leap day, then the calendar date is right', () => {
    expect(addDays('2026-06-29', 7)).toBe('2026-07-06');
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(() => addDays('2024-3-1', 1)).toThrow(RangeError);
  });

  it("when an instant is late on Sunday in UTC, then in a zone ahead of UTC it is in Monday's week", () => {
    const instant = new Date('2026-06-14T23:30:00Z');
    expect(weekStartIn(instant, 'UTC')).toBe('2026-06-08');
    expect(weekStartIn(instant, 'Africa/Lagos')).toBe('2026-06-15');
    expect(weekStartIn(new Date('2026-06-15T02:00:00Z'), 'America/New_York')).toBe('2026-06-08');
  });

  it.each([
    ['2026-06-01', 'UTC', '2026-06-01T00:00:00.000Z'],
    ['2026-06-01', 'Africa/Lagos', '2026-05-31T23:00:00.000Z'],
    ['2026-01-15', 'Europe/Paris', '2026-01-14T23:00:00.000Z'],
    ['2026-07-15', 'Europe/Paris', '2026-07-14T22:00:00.000Z'],
    ['2026-03-29', 'Europe/Paris', '2026-03-28T23:00:00.000Z'], // the day summer time begins, at 02:00
    ['2026-06-01', 'Asia/Kolkata', '2026-05-31T18:30:00.000Z'],
    ['2026-06-01', 'Pacific/Kiritimati', '2026-05-31T10:00:00.000Z'],
    ['2026-06-01', 'Etc/GMT+12', '2026-06-01T12:00:00.000Z'],
    // São Paulo's summer time began at midnight in 2018: that day's first minute was 01:00 (UTC-2).
    ['2018-11-04', 'America/Sao_Paulo', '2018-11-04T03:00:00.000Z'],
  ])('when the date is %s in %s, then the day starts at %s', (date, zone, iso) => {
    expect(startOfDayIn(date, zone).toISOString()).toBe(iso);
  });
});
