/**
 * `/insights`: the figures of GET /api/insights for a chosen period, read at a glance (totals, per service and
 * per source, incidents and time to recover per week as charts) with their definitions, and the CSV download.
 * The same use-case and period rules as the API.
 */
import { Router } from 'express';
import type { DurationFigures } from '../domain/percentiles';
import { insightsPeriod, sendInsightsCsv } from '../http/insights.router';
import { loadInsights, type InsightsDeps } from '../use-cases/insights';
import { formatDate } from '../domain/time-format';
import { barChart } from './bar-chart';
import { shownDuration } from './page-format';
import { sendPage } from './views';
import { personOf } from './web.router';

const duration = (seconds: number | null) => (seconds === null ? '—' : shownDuration(Math.abs(seconds)));
const pair = (f: DurationFigures) => ({
  median: duration(f.medianSeconds),
  p90: duration(f.p90Seconds),
  count: f.count,
});

/** The day after a `YYYY-MM-DD` date (calendar arithmetic, no zone involved). */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The page's form gives dates with both days included (people read "to 30 June" as including it); the API's
 * `to` is the first instant not counted. Anything else is left to the API's rules and their 400.
 */
export function periodQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const { from, to } = query;
  if (typeof from === 'string' && from.length > 0) out.from = from;
  if (typeof to === 'string' && to.length > 0) out.to = /^\d{4}-\d{2}-\d{2}$/.test(to) ? nextDate(to) : to;
  return out;
}

export function insightsPages(deps: InsightsDeps): Router {
  const router = Router();

  router.get('/insights.csv', async (req, res) => {
    sendInsightsCsv(res, await loadInsights(deps, insightsPeriod(periodQuery(req.query), deps)));
  });

  router.get('/insights', async (req, res) => {
    const given = periodQuery(req.query);
    const asked = {
      from: typeof req.query.from === 'string' ? req.query.from : '',
      to: typeof req.query.to === 'string' ? req.query.to : '',
    };
    const report = await loadInsights(deps, insightsPeriod(given, deps));
    const day = (d: Date) => formatDate(d, report.timezone);
    const lastDay = day(new Date(report.period.to.getTime() - 1));
    const row = (name: string, f: (typeof report)['totals']) => ({
      name,
      incidents: f.incidents,
      tta: pair(f.timeToAcknowledge),
      ttr: pair(f.timeToRecover),
      lag: pair(f.deliveryLag),
      published: f.postmortems.published,
      pending: f.postmortems.pending,
      open: f.actionItems.open,
      overdue: f.actionItems.overdue,
    });
    const csvQuery = new URLSearchParams(
      Object.entries(asked).filter(([, value]) => value.length > 0),
    ).toString();
    sendPage(res, 'insights', {
      title: 'Insights',
      person: personOf(res),
      from: asked.from || day(report.period.from),
      to: asked.to || lastDay,
      shownFrom: day(report.period.from),
      shownTo: lastDay,
      timezone: report.timezone,
      truncated: report.truncated,
      limit: report.incidentLimit,
      totals: row('All incidents', report.totals),
      services: report.byService.rows.map((r) => row(r.service ?? '(no service)', r)),
      servicesOmitted: report.byService.omitted,
      sources: report.bySource.rows.map((r) => row(r.source, r)),
      sourcesOmitted: report.bySource.omitted,
      perWeek: barChart(
        'Incidents per week',
        report.weeks.map((w) => ({ label: w.weekStart.slice(5), value: w.incidents })),
        (v) => String(Math.round(v)),
      ),
      recoverPerWeek: barChart(
        'Median time to recover per week',
        report.weeks.map((w) => ({ label: w.weekStart.slice(5), value: w.timeToRecoverMedianSeconds })),
        (v) => shownDuration(v),
      ),
      csvHref: `/insights.csv${csvQuery.length > 0 ? `?${csvQuery}` : ''}`,
    });
  });

  return router;
}
