/**
 * `/` (the incidents, open ones first, then recent ones, filtered, paged, refreshed in place) and
 * `/incidents/:id` (alerts, timeline, acknowledge, notes, the metric's chart).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Incident } from '../domain/incident';
import type { Postmortem } from '../domain/postmortem';
import { NotFoundError, ValidationError } from '../errors';
import { acknowledgeIncident, addIncidentNote } from '../use-cases/annotate-incident';
import type { IncidentListQuery } from '../use-cases/ports';
import { metricCharts } from './metric-chart';
import { lateness, safeHref, shownDuration, shownTime, shownTimeOrNull } from './page-format';
import { incidentIdParam } from '../http/params';
import { refuseNul } from '../http/validation';
import { timelinePage } from '../domain/timeline-page';
import { sendPage, renderView } from './views';
import { personOf, type WebDeps } from './web.router';

const OPEN_LIMIT = 100;
const timelineQuerySchema = z.object({ after: z.string().min(1).max(2_000).optional().catch(undefined) });
const PAGE_SIZE = 50;
const MAX_NOTE = 10_000;

const day = z.iso.date({ message: 'must be a date such as 2026-06-14' });
/** A filter's text; one holding a NUL character (which the database refuses even in a query) is dropped. */
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'))
    .optional()
    .catch(undefined);
const filtersSchema = z.object({
  status: z.enum(['open', 'resolved']).optional().catch(undefined),
  service: filterText(200),
  source: filterText(100),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  cursor: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
});
type Filters = z.infer<typeof filtersSchema>;

/** A day of the filter as an instant: its start in UTC (the list says so). */
const dayStart = (date: string) => new Date(`${date}T00:00:00.000Z`);
const nextDay = (date: string) => new Date(dayStart(date).getTime() + 86_400_000);

function listQuery(
  filters: Filters,
  status: 'open' | 'resolved',
  limit: number,
  cursor?: string,
): IncidentListQuery {
  return {
    status,
    limit,
    ...(filters.service === undefined ? {} : { service: filters.service }),
    ...(filters.source === undefined ? {} : { source: filters.source }),
    ...(filters.from === undefined ? {} : { detectedFrom: dayStart(filters.from) }),
    ...(filters.to === undefined ? {} : { detectedBefore: nextDay(filters.to) }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}

function incidentRow(
  incident: Incident,
  postmortem: Pick<Postmortem, 'status'> | undefined,
  timezone: string,
  now: Date,
) {
  const ongoing = incident.status === 'open';
  const seconds = ongoing
    ? (now.getTime() - incident.detectedAt.getTime()) / 1000
    : (incident.durationSeconds ?? 0);
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity ?? '—',
    source: incident.source,
    services: incident.services.join(', '),
    detectedAt: shownTime(incident.detectedAt, timezone),
    duration: ongoing ? `${shownDuration(seconds)} so far` : shownDuration(seconds),
    postmortem: postmortem === undefined ? null : postmortem.status.replace('_', ' '),
  };
}

function filterQueryString(filters: Filters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'service', 'source', 'from', 'to'] as const) {
    const value = filters[key];
    if (value !== undefined) params.set(key, value);
  }
  if (cursor !== undefined) params.set('cursor', cursor);
  const text = params.toString();
  return text.length === 0 ? '' : `?${text}`;
}

export function incidentPages(deps: WebDeps): Router {
  const router = Router();
  const { people, timezone } = deps;

  const tables = async (filters: Filters) => {
    const now = deps.now();
    const showOpen = filters.cursor === undefined && filters.status !== 'resolved';
    const open = showOpen ? await people.incidents.list(listQuery(filters, 'open', OPEN_LIMIT)) : null;
    const recent =
      filters.status === 'open'
        ? null
        : await people.incidents.list(listQuery(filters, 'resolved', PAGE_SIZE, filters.cursor));
    const shown = [...(open?.items ?? []), ...(recent?.items ?? [])];
    const postmortems = new Map(
      (await people.postmortems.findStatuses(shown.map((i) => i.id))).map((p) => [p.incidentId, p]),
    );
    const rows = (items: Incident[]) =>
      items.map((i) => incidentRow(i, postmortems.get(i.id), timezone, now));
    return {
      open: open === null ? null : { rows: rows(open.items), more: open.nextCursor !== null },
      recent: recent === null ? null : { rows: rows(recent.items) },
      nextPage: recent?.nextCursor ? filterQueryString(filters, recent.nextCursor) : null,
      live: filters.cursor === undefined,
    };
  };

  router.get('/', async (req, res) => {
    const filters = filtersSchema.parse(req.query);
    const data = await tables(filters);
    // The page's script asks for the tables alone every few seconds, so new incidents appear without a reload.
    if (req.get('x-hindsight-fragment') === 'incident-tables') {
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.type('html').send(renderView('incident-tables', { ...data, title: '', person: personOf(res) }));
      return;
    }
    sendPage(res, 'incidents', {
      title: 'Incidents',
      person: personOf(res),
      filters,
      sources: deps.sources,
      timezone,
      ...data,
    });
  });

  router.get('/incidents/:id', async (req, res) => {
    const id = incidentIdParam(req);
    const { after } = timelineQuerySchema.parse(req.query);
    const incident = await people.incidents.findById(id);
    if (incident === null) throw new NotFoundError('incident');
    // A page of the timeline (an incident that renotified for weeks has tens of thousands of entries).
    const page = timelinePage(incident.timeline, after);
    if (page === null) throw new ValidationError('after', 'is not an entry of this timeline');
    const postmortem = await people.postmortems.find(id);
    const person = personOf(res);
    sendPage(res, 'incident', {
      title: incident.title,
      person,
      incident: {
        id: incident.id,
        title: incident.title,
        status: incident.status,
        severity: incident.severity ?? '—',
        source: incident.source,
        services: incident.services,
        hosts: incident.hosts,
        detectedAt: shownTime(incident.detectedAt, timezone),
        resolvedAt: shownTimeOrNull(incident.resolvedAt, timezone),
        duration: incident.durationSeconds === null ? null : shownDuration(incident.durationSeconds),
        monitors: incident.monitors.map((m) => ({ name: m.name, href: safeHref(m.url), query: m.query })),
        alerts: incident.alerts.map((a) => ({
          key: a.key,
          scope: a.scope ?? '—',
          status: a.status,
          triggeredAt: shownTimeOrNull(a.triggeredAt, timezone),
          recoveredAt: shownTimeOrNull(a.recoveredAt, timezone),
        })),
        timelineTotal: page.total,
        timelineFrom: after === undefined ? null : incident.timeline.findIndex((t) => t.key === after) + 2,
        timelineNext:
          page.nextCursor === null
            ? null
            : `/incidents/${incident.id}?after=${encodeURIComponent(page.nextCursor)}#timeline`,
        timeline: page.entries.map((t) => ({
          at: shownTime(t.at, timezone),
          kind: t.kind,
          message: t.message,
          late: lateness(t.at, t.receivedAt),
        })),
        acknowledgedBy: incident.acknowledgements.map((a) => a.by),
      },
      acknowledgedByMe: incident.acknowledgements.some((a) => a.by === person.name),
      postmortem: postmortem === null ? null : { status: postmortem.status.replace('_', ' ') },
      charts: postmortem === null ? [] : metricCharts(postmortem.facts, timezone),
      timezone,
    });
  });

  router.post('/incidents/:id/acknowledge', async (req, res) => {
    const id = incidentIdParam(req);
    await acknowledgeIncident(people, id, personOf(res).name);
    res.redirect(303, `/incidents/${id}#timeline`);
  });

  router.post('/incidents/:id/notes', async (req, res) => {
    const id = incidentIdParam(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    refuseNul(body);
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (text.length === 0) throw new ValidationError('note', 'write something first');
    if (text.length > MAX_NOTE) throw new ValidationError('note', `is over ${MAX_NOTE} characters`);
    await addIncidentNote(people, id, { author: personOf(res).name, text });
    res.redirect(303, `/incidents/${id}#timeline`);
  });

  return router;
}
