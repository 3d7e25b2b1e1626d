import { Router, type Response } from 'express';
import { z } from 'zod';
import { startOfDayIn } from '../domain/calendar';
import type { Period } from '../domain/insights';
import { formatDate } from '../domain/time-format';
import { ValidationError } from '../errors';
import { insightsCsv, presentInsights } from '../presenters/insights.presenter';
import { loadInsights, type InsightsDeps, type InsightsReport } from '../use-cases/insights';
import { parseOr400 } from './validation';

const DAY_MS = 86_400_000;
export const DEFAULT_PERIOD_DAYS = 30;
/** 366 days, and the hour a daylight-saving change may add between two midnights. */
export const MAX_PERIOD_MS = 366 * DAY_MS + 3_600_000;

const DATE_OR_TIME =
  'must be an ISO-8601 date (2026-06-01, midnight in the display zone) or a date-time with Z or an offset (2026-06-01T10:00:00Z)';
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: DATE_OR_TIME });
// Strict: an unknown parameter (`form=`, `from[$gt]=`) is a 400, never a default silently used instead.
const query = z.strictObject({ from: instant.optional(), to: instant.optional() });

/**
 * `GET /insights?from=&to=` (JSON) and `GET /insights.csv?from=&to=` (the rows as CSV): figures over the
 * incidents detected in [from, to), by default the last 30 days up to now. Mounted at `/api`.
 */
export function insightsRouter(deps: InsightsDeps): Router {
  const router = Router();

  router.get('/insights', async (req, res) => {
    const report = await loadInsights(deps, insightsPeriod(req.query, deps));
    res.json(presentInsights(report));
  });

  router.get('/insights.csv', async (req, res) => {
    sendInsightsCsv(res, await loadInsights(deps, insightsPeriod(req.query, deps)));
  });

  return router;
}

/** The insights as a CSV download, named after the period's dates in the display zone (the API and the page). */
export function sendInsightsCsv(res: Response, report: InsightsReport): void {
  const day = (d: Date) => formatDate(d, report.timezone);
  const name = `insights-${day(report.period.from)}-${day(report.period.to)}.csv`;
  res
    .type('text/csv; charset=utf-8')
    .set('Content-Disposition', `attachment; filename="${name}"`)
    .send(insightsCsv(report));
}

/** The period a query asks for (the API's and the page's); a 400 naming `from` or `to` when it is not one. */
export function insightsPeriod(given: unknown, deps: Pick<InsightsDeps, 'timezone' | 'now'>): Period {
  const q = parseOr400(query, given, 'query');
  const toInstant = (text: string) =>
    text.length === 10 ? startOfDayIn(text, deps.timezone) : new Date(text);
  const to = q.to === undefined ? deps.now() : toInstant(q.to);
  const from =
    q.from === undefined ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS) : toInstant(q.from);
  // The parameter to blame is the one given (`to` when both are).
  const blamed = q.to === undefined ? 'from' : 'to';
  if (to.getTime() <= from.getTime()) throw new ValidationError(blamed, 'must make `to` later than `from`');
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS)
    throw new ValidationError(blamed, 'the period may be at most 366 days');
  return { from, to };
}
