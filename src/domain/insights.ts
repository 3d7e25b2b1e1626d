/**
 * Insights: figures over the incidents detected in a period, in total, per service and per source, and by ISO
 * week. Pure: the incidents, their postmortems and their action items come in, a plain object goes out.
 *
 * Definitions (the contract; percentiles are by nearest rank, see percentiles.ts):
 * - An incident belongs to the period when its `detectedAt` (the monitor's detection time, not Hindsight's
 *   receipt) is in [from, to). Others given are ignored, and so are postmortems and items of other incidents.
 * - Time to acknowledge: from detectedAt to the first acknowledgement (a person's in Hindsight or one at the
 *   source, one before detection counting as immediate), whole seconds, as the postmortem's figure; incidents
 *   not acknowledged are left out of it.
 * - Time to recover: resolvedAt minus detectedAt, whole seconds, resolved incidents only (an incident that
 *   reopened counts to its latest resolution).
 * - Delivery lag: receivedAt minus the monitor's time `at`, over every alert event the incidents hold (one per
 *   notification, a redelivery being the same event), in seconds to the millisecond; negative where the
 *   monitor's clock runs ahead. An event whose time is exactly its receipt time is left out: that is what an
 *   event carries when the monitor sent no usable time of its own, and it would measure nothing.
 * - Postmortems: published, and pending (drafted, in draft or in review, not published).
 * - Action items: open, and overdue (open with a deadline before `today`, the date in the display zone, as
 *   isOverdue says).
 * - Per service: an incident of two services counts in each service's row (so rows add up to more than the
 *   total), one naming no service in the row whose `service` is null. Rows come by incident count, most first
 *   (then by name), at most ROW_LIMIT of them; `omitted` counts the rows left out. Per source likewise.
 * - Weeks: every ISO week (Monday, in the display zone) the period touches, with its incidents and the median
 *   time to recover of its resolved ones; `partial` when the period covers only part of the week.
 */
import type { Incident } from './incident';
import { WeekTally, type Period, type WeekPoint } from './insights-weeks';
import { durationFigures, type DurationFigures } from './percentiles';
import type { ActionItem, Postmortem } from './postmortem';
import { isOverdue } from './postmortem-editing';
import { timeToAcknowledge } from './postmortem-draft';

export const ROW_LIMIT = 200;

export type { Period, WeekPoint } from './insights-weeks';

export type InsightsIncident = Pick<
  Incident,
  'id' | 'source' | 'services' | 'status' | 'detectedAt' | 'resolvedAt' | 'events' | 'acknowledgements'
>;

export interface InsightsInput {
  incidents: readonly InsightsIncident[];
  postmortems: readonly Pick<Postmortem, 'incidentId' | 'status'>[];
  actionItems: readonly Pick<ActionItem, 'incidentId' | 'status' | 'deadline'>[];
  period: Period;
  /** The display zone: weeks start on its Mondays. */
  timezone: string;
  /** Today's date in the display zone, `YYYY-MM-DD`: what is overdue. */
  today: string;
}

export interface InsightsFigures {
  incidents: number;
  timeToAcknowledge: DurationFigures;
  timeToRecover: DurationFigures;
  deliveryLag: DurationFigures;
  postmortems: { published: number; pending: number };
  actionItems: { open: number; overdue: number };
}

export interface Rows<Row> {
  rows: Row[];
  omitted: number;
}

export interface Insights {
  period: Period;
  timezone: string;
  today: string;
  totals: InsightsFigures;
  byService: Rows<InsightsFigures & { service: string | null }>;
  bySource: Rows<InsightsFigures & { source: string }>;
  weeks: WeekPoint[];
}

/** What one incident adds to each row it counts in. */
interface IncidentFigures {
  tta: number | null;
  ttr: number | null;
  lags: number[];
  published: number;
  pending: number;
  open: number;
  overdue: number;
}

class Tally {
  incidents = 0;
  readonly tta: number[] = [];
  readonly ttr: number[] = [];
  readonly lags: number[] = [];
  published = 0;
  pending = 0;
  open = 0;
  overdue = 0;

  add(f: IncidentFigures): void {
    this.incidents += 1;
    if (f.tta !== null) this.tta.push(f.tta);
    if (f.ttr !== null) this.ttr.push(f.ttr);
    for (const lag of f.lags) this.lags.push(lag);
    this.published += f.published;
    this.pending += f.pending;
    this.open += f.open;
    this.overdue += f.overdue;
  }

  figures(): InsightsFigures {
    return {
      incidents: this.incidents,
      timeToAcknowledge: durationFigures(this.tta),
      timeToRecover: durationFigures(this.ttr),
      deliveryLag: durationFigures(this.lags),
      postmortems: { published: this.published, pending: this.pending },
      actionItems: { open: this.open, overdue: this.overdue },
    };
  }
}

export function computeInsights(input: InsightsInput): Insights {
  const { period, timezone, today } = input;
  const from = period.from.getTime();
  const to = period.to.getTime();
  const incidents = input.incidents.filter(
    (i) => i.detectedAt.getTime() >= from && i.detectedAt.getTime() < to,
  );
  const counted = new Set(incidents.map((i) => i.id));
  const postmortems = new Map(
    input.postmortems.filter((p) => counted.has(p.incidentId)).map((p) => [p.incidentId, p.status]),
  );
  const items = new Map<string, { open: number; overdue: number }>();
  for (const item of input.actionItems) {
    if (!counted.has(item.incidentId) || item.status !== 'open') continue;
    const tally = items.get(item.incidentId) ?? { open: 0, overdue: 0 };
    tally.open += 1;
    if (isOverdue(item, today)) tally.overdue += 1;
    items.set(item.incidentId, tally);
  }

  const totals = new Tally();
  const byService = new Map<string | null, Tally>();
  const bySource = new Map<string, Tally>();
  const weeks = new WeekTally(timezone);
  for (const incident of incidents) {
    const status = postmortems.get(incident.id);
    const f: IncidentFigures = {
      tta: timeToAcknowledge(incident),
      ttr: timeToRecover(incident),
      lags: deliveryLags(incident),
      published: status === 'published' ? 1 : 0,
      pending: status === 'draft' || status === 'in_review' ? 1 : 0,
      ...(items.get(incident.id) ?? { open: 0, overdue: 0 }),
    };
    totals.add(f);
    const services = incident.services.length === 0 ? [null] : new Set(incident.services);
    for (const service of services) tallyOf(byService, service).add(f);
    tallyOf(bySource, incident.source).add(f);
    weeks.add(incident.detectedAt, f.ttr);
  }

  return {
    period: { from: new Date(from), to: new Date(to) },
    timezone,
    today,
    totals: totals.figures(),
    byService: rowsOf(byService, (service) => ({ service })),
    bySource: rowsOf(bySource, (source) => ({ source })),
    weeks: weeks.points(period),
  };
}

function timeToRecover(incident: InsightsIncident): number | null {
  if (incident.status !== 'resolved' || incident.resolvedAt === null) return null;
  return Math.max(0, Math.round((incident.resolvedAt.getTime() - incident.detectedAt.getTime()) / 1000));
}

function deliveryLags(incident: InsightsIncident): number[] {
  const lags: number[] = [];
  for (const event of incident.events) {
    const ms = event.receivedAt.getTime() - event.at.getTime();
    if (ms !== 0) lags.push(ms / 1000);
  }
  return lags;
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let tally = map.get(key);
  if (tally === undefined) {
    tally = new Tally();
    map.set(key, tally);
  }
  return tally;
}

/** Most incidents first, then by name (no name last); at most ROW_LIMIT rows. */
function rowsOf<K extends string | null, Named>(
  map: Map<K, Tally>,
  name: (key: K) => Named,
): Rows<InsightsFigures & Named> {
  const sorted = [...map.entries()].sort(([a, x], [b, y]) => y.incidents - x.incidents || compareNames(a, b));
  return {
    rows: sorted.slice(0, ROW_LIMIT).map(([key, tally]) => ({ ...name(key), ...tally.figures() })),
    omitted: Math.max(0, sorted.length - ROW_LIMIT),
  };
}

function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
