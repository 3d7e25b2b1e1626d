/**
 * Insights over a period: loads the incidents detected in it (one bounded query, served by the detectedAt
 * index), their postmortems and their action items (one `$in` query each, in-chunks.ts), and asks the domain
 * for the figures. Nothing is computed by the database: the same code runs on MongoDB and FerretDB.
 */
import { computeInsights, type Insights, type Period } from '../domain/insights';
import { formatDate } from '../domain/time-format';
import type { ActionItemStore, IncidentStore, PostmortemStore } from './ports';

/** The most incidents one answer counts. */
export const INSIGHTS_INCIDENT_LIMIT = 10_000;

export interface InsightsDeps {
  incidents: Pick<IncidentStore, 'listDetectedBetween'>;
  postmortems: Pick<PostmortemStore, 'findStatuses'>;
  actionItems: Pick<ActionItemStore, 'listForIncidents'>;
  /** The display zone: weeks and "today" (what is overdue) are its. */
  timezone: string;
  now: () => Date;
}

export interface InsightsReport extends Insights {
  /** The period asked for; `period` is the one the figures cover, shorter when truncated. */
  requested: Period;
  /**
   * More than `incidentLimit` incidents were detected in the period asked for: the figures are those of the
   * earliest ones, and `period.to` is moved back to the detection of the first one left out, so the figures
   * are exactly those of the shorter period. (Should more than the limit share one millisecond, the first
   * `incidentLimit` of them by id count, and `period.to` is the millisecond after.)
   */
  truncated: boolean;
  incidentLimit: number;
}

export async function loadInsights(
  deps: InsightsDeps,
  requested: Period,
  limit = INSIGHTS_INCIDENT_LIMIT,
): Promise<InsightsReport> {
  const loaded = await deps.incidents.listDetectedBetween(requested.from, requested.to, limit + 1);
  const { incidents, period } = withinLimit(loaded, requested, limit);
  const ids = incidents.map((i) => i.id);
  const [postmortems, actionItems] = await Promise.all([
    deps.postmortems.findStatuses(ids),
    deps.actionItems.listForIncidents(ids),
  ]);
  const insights = computeInsights({
    incidents,
    postmortems,
    actionItems,
    period,
    timezone: deps.timezone,
    today: formatDate(deps.now(), deps.timezone),
  });
  return { ...insights, requested, truncated: loaded.length > limit, incidentLimit: limit };
}

/** The incidents to count, earliest detection first, and the period they are all of. */
function withinLimit<T extends { detectedAt: Date }>(
  loaded: readonly T[],
  requested: Period,
  limit: number,
): { incidents: T[]; period: Period } {
  const firstLeftOut = loaded[limit];
  if (firstLeftOut === undefined) return { incidents: [...loaded], period: requested };
  const cut = firstLeftOut.detectedAt.getTime();
  const before = loaded.slice(0, limit).filter((i) => i.detectedAt.getTime() < cut);
  if (before.length > 0) return { incidents: before, period: { from: requested.from, to: new Date(cut) } };
  return {
    incidents: loaded.slice(0, limit),
    period: { from: requested.from, to: new Date(cut + 1) },
  };
}
