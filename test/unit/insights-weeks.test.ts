/** Insights by ISO week in the display zone: which week an incident counts in, partial weeks, weekly medians. */
import { startOfDayIn } from '../../src/domain/calendar';
import { juneIncident, juneInsights } from '../helpers/insights';

describe('computeInsights: weeks', () => {
  const around = () => [
    // Sunday 23:30 UTC is Monday 00:30 in Lagos (UTC+1).
    juneIncident({ detectedAt: '2026-06-14T23:30:00.000Z', ttr: 600 }),
    // Sunday 23:30 in Lagos.
    juneIncident({ detectedAt: '2026-06-14T22:30:00.000Z', ttr: 1200 }),
    juneIncident({ detectedAt: '2026-06-02T10:00:00.000Z' }),
  ];

  it('when an incident is detected late on a Sunday in UTC, then in Lagos it counts in the next week', () => {
    const lagos = juneInsights({
      incidents: around(),
      timezone: 'Africa/Lagos',
      period: {
        from: startOfDayIn('2026-06-01', 'Africa/Lagos'),
        to: startOfDayIn('2026-06-22', 'Africa/Lagos'),
      },
    });
    expect(lagos.weeks).toEqual([
      {
        weekStart: '2026-06-01',
        partial: false,
        incidents: 1,
        resolved: 0,
        timeToRecoverMedianSeconds: null,
      },
      {
        weekStart: '2026-06-08',
        partial: false,
        incidents: 1,
        resolved: 1,
        timeToRecoverMedianSeconds: 1200,
      },
      { weekStart: '2026-06-15', partial: false, incidents: 1, resolved: 1, timeToRecoverMedianSeconds: 600 },
    ]);
    const utc = juneInsights({
      incidents: around(),
      period: { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-22T00:00:00Z') },
    });
    expect(utc.weeks.map((w) => [w.weekStart, w.incidents, w.timeToRecoverMedianSeconds])).toEqual([
      ['2026-06-01', 1, null],
      ['2026-06-08', 2, 600],
      ['2026-06-15', 0, null],
    ]);
  });

  it('when a week has three recoveries, then its figure is their median', () => {
    const incidents = [300, 100, 200].map((ttr) =>
      juneIncident({ detectedAt: '2026-06-03T10:00:00.000Z', ttr }),
    );
    const week = juneInsights({ incidents }).weeks.find((w) => w.weekStart === '2026-06-01')!;
    expect(week).toMatchObject({ incidents: 3, resolved: 3, timeToRecoverMedianSeconds: 200 });
  });

  it('when the period starts or ends inside a week, then that week says it is partial', () => {
    const result = juneInsights({
      incidents: [],
      period: { from: new Date('2026-06-03T12:00:00Z'), to: new Date('2026-06-10T00:00:00Z') },
    });
    expect(result.weeks.map((w) => [w.weekStart, w.partial, w.incidents])).toEqual([
      ['2026-06-01', true, 0],
      ['2026-06-08', true, 0],
    ]);
    // June: from Monday the 1st at midnight to Wednesday, July 1st.
    expect(juneInsights({ incidents: [] }).weeks.map((w) => [w.weekStart, w.partial])).toEqual([
      ['2026-06-01', false],
      ['2026-06-08', false],
      ['2026-06-15', false],
      ['2026-06-22', false],
      ['2026-06-29', true],
    ]);
  });

  it('when the period spans a daylight-saving change, then whole weeks from midnight to midnight are not partial', () => {
    const paris = (date: string) => startOfDayIn(date, 'Europe/Paris');
    const result = juneInsights({
      incidents: [juneIncident({ detectedAt: '2026-03-29T12:00:00.000Z' })],
      timezone: 'Europe/Paris',
      period: { from: paris('2026-03-23'), to: paris('2026-04-06') },
    });
    expect(result.weeks.map((w) => [w.weekStart, w.partial, w.incidents])).toEqual([
      ['2026-03-23', false, 1],
      ['2026-03-30', false, 0],
    ]);
  });
});
