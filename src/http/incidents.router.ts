import { Router } from 'express';
import { z } from 'zod';
import { parseOr400 } from './validation';
import { NotFoundError, ValidationError } from '../errors';
import { incidentIdParam } from './params';
import { TIMELINE_PAGE_LIMIT, timelinePage } from '../domain/timeline-page';
import type { EnrichmentStore, IncidentStore } from '../use-cases/ports';
import {
  presentIncident,
  presentIncidentSummary,
  presentTimelinePage,
} from '../presenters/incident.presenter';

export interface IncidentsDeps {
  incidents: IncidentStore;
  enrichments: Pick<EnrichmentStore, 'find'>;
  publicUrl: string;
}

// Strict: an unknown parameter (`service[]=x`, `status[$ne]=open`) is a 400, never a filter silently dropped.
const listQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  service: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'is not a cursor this API returned')
    .optional(),
});

const timelineQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(TIMELINE_PAGE_LIMIT).default(TIMELINE_PAGE_LIMIT),
  cursor: z.string().min(1).max(2_000).optional(),
});

export function incidentsRouter(deps: IncidentsDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseOr400(listQuerySchema, req.query, 'query');
    const page = await deps.incidents.list(query);
    res.json({
      items: page.items.map((incident) => presentIncidentSummary(incident, deps.publicUrl)),
      nextCursor: page.nextCursor,
    });
  });

  router.get('/:id', async (req, res) => {
    const incident = await deps.incidents.findById(incidentIdParam(req));
    if (incident === null) throw new NotFoundError('incident');
    res.json(presentIncident(incident, deps.publicUrl, await deps.enrichments.find(incident.id)));
  });

  router.get('/:id/timeline', async (req, res) => {
    const query = parseOr400(timelineQuerySchema, req.query, 'query');
    const incident = await deps.incidents.findById(incidentIdParam(req));
    if (incident === null) throw new NotFoundError('incident');
    const page = timelinePage(incident.timeline, query.cursor, query.limit);
    if (page === null) throw new ValidationError('query.cursor', 'is not a cursor this API returned');
    res.json(presentTimelinePage(page));
  });

  return router;
}
