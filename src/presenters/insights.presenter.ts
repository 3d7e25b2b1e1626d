/**
 * Insights as the API shows them: times as ISO-8601 UTC, durations in seconds (`…Seconds`); and the rows as
 * CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote or a line break, quotes
 * doubled). Service and source names come from monitors: in the CSV, one that a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe.
 */
import type { InsightsFigures } from '../domain/insights';
import type { InsightsReport } from '../use-cases/insights';

const period = (p: { from: Date; to: Date }) => ({ from: p.from.toISOString(), to: p.to.toISOString() });

export function presentInsights(report: InsightsReport) {
  return {
    period: period(report.period),
    requested: period(report.requested),
    truncated: report.truncated,
    incidentLimit: report.incidentLimit,
    timezone: report.timezone,
    today: report.today,
    totals: report.totals,
    byService: report.byService,
    bySource: report.bySource,
    weeks: report.weeks,
  };
}

const COLUMNS = [
  'dimension',
  'name',
  'incidents',
  'acknowledged',
  'tta_median_seconds',
  'tta_p90_seconds',
  'resolved',
  'ttr_median_seconds',
  'ttr_p90_seconds',
  'lag_events',
  'lag_median_seconds',
  'lag_p90_seconds',
  'postmortems_published',
  'postmortems_pending',
  'action_items_open',
  'action_items_overdue',
] as const;

type Cell = string | number | null;

/** The totals, then a row per service (an empty name: incidents naming no service), then a row per source. */
export function insightsCsv(report: InsightsReport): string {
  const lines: Cell[][] = [
    [...COLUMNS],
    ['total', '', ...figureCells(report.totals)],
    ...report.byService.rows.map((r) => ['service', monitorText(r.service ?? ''), ...figureCells(r)]),
    ...report.bySource.rows.map((r) => ['source', monitorText(r.source), ...figureCells(r)]),
  ];
  return lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function figureCells(f: InsightsFigures): Cell[] {
  return [
    f.incidents,
    f.timeToAcknowledge.count,
    f.timeToAcknowledge.medianSeconds,
    f.timeToAcknowledge.p90Seconds,
    f.timeToRecover.count,
    f.timeToRecover.medianSeconds,
    f.timeToRecover.p90Seconds,
    f.deliveryLag.count,
    f.deliveryLag.medianSeconds,
    f.deliveryLag.p90Seconds,
    f.postmortems.published,
    f.postmortems.pending,
    f.actionItems.open,
    f.actionItems.overdue,
  ];
}

/** Text from a monitor, made inert for a spreadsheet: one that would start a formula gets a leading `'`. */
export function monitorText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: null is empty; quoted when it holds a comma, a double quote, CR or LF. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
