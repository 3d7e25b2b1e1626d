/** Insights as the API shows them: JSON with ISO times, and CSV with RFC 4180 quoting and a formula guard. */
import type { Incident } from '../../src/domain/incident';
import { insightsCsv, presentInsights } from '../../src/presenters/insights.presenter';
import type { InsightsReport } from '../../src/use-cases/insights';
import { JUNE, juneIncident, juneInsights } from '../helpers/insights';

describe('insights as JSON and CSV', () => {
  const report = (incidents: Incident[]): InsightsReport => ({
    ...juneInsights({ incidents }),
    requested: JUNE,
    truncated: false,
    incidentLimit: 10_000,
  });

  it('when presented as JSON, then times are ISO-8601 UTC and the figures are plain numbers', () => {
    const json = presentInsights(report([juneIncident({ ttr: 600, ack: 60 })]));
    expect(json).toMatchObject({
      period: { from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' },
      requested: { from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' },
      truncated: false,
      incidentLimit: 10_000,
      timezone: 'UTC',
      today: '2026-06-20',
      totals: { incidents: 1, timeToRecover: { count: 1, medianSeconds: 600, p90Seconds: 600 } },
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('when names hold commas, quotes or line breaks, then the fields are quoted as RFC 4180 says', () => {
    const csv = insightsCsv(
      report([
        juneIncident({ services: ['check,out'] }),
        juneIncident({ services: ['say "hi"'] }),
        juneIncident({ services: ['two\nlines'] }),
        juneIncident({ services: ['plain'] }),
      ]),
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'dimension,name,incidents,acknowledged,tta_median_seconds,tta_p90_seconds,resolved,ttr_median_seconds,' +
        'ttr_p90_seconds,lag_events,lag_median_seconds,lag_p90_seconds,postmortems_published,' +
        'postmortems_pending,action_items_open,action_items_overdue',
    );
    expect(lines[1]).toBe('total,,4,0,,,0,,,4,2.5,2.5,0,0,0,0');
    expect(lines).toContain('service,"check,out",1,0,,,0,,,1,2.5,2.5,0,0,0,0');
    expect(lines).toContain('service,"say ""hi""",1,0,,,0,,,1,2.5,2.5,0,0,0,0');
    expect(lines).toContain('service,"two\nlines",1,0,,,0,,,1,2.5,2.5,0,0,0,0');
    expect(lines).toContain('service,plain,1,0,,,0,,,1,2.5,2.5,0,0,0,0');
    expect(lines).toContain('source,datadog,4,0,,,0,,,4,2.5,2.5,0,0,0,0');
    expect(lines).toHaveLength(1 + 1 + 4 + 1 + 1);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['a=b', 'a=b'],
  ])('when a monitor names a service %j, then its CSV cell is %j', (service, cell) => {
    const csv = insightsCsv(report([juneIncident({ services: [service], source: service })]));
    expect(csv).toContain(`\r\nservice,${cell},1,`);
    expect(csv).toContain(`\r\nsource,${cell},1,`);
  });

  it('when a figure is negative, then it is written as a number, not guarded as text', () => {
    const csv = insightsCsv(report([juneIncident({ lagSeconds: -1.5, services: ['web'] })]));
    expect(csv).toContain('\r\nservice,web,1,0,,,0,,,1,-1.5,-1.5,0,0,0,0\r\n');
  });

  it('when incidents name no service, then their row has an empty name', () => {
    const csv = insightsCsv(report([juneIncident({ services: [] })]));
    expect(csv).toContain('\r\nservice,,1,');
  });
});
