import express, { Router } from 'express';
import { z } from 'zod';
import { presentIncident } from '../presenters/incident.presenter';
import { acknowledgeIncident, addIncidentNote, type AnnotateDeps } from '../use-cases/annotate-incident';
import { incidentIdParam } from './params';
import { parseOr400 } from './validation';

const person = z.string().trim().min(1).max(200);
const when = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 time such as 2026-06-14T10:05:00Z',
});
const noteBody = z.strictObject({
  author: person,
  text: z.string().trim().min(1).max(10_000),
  at: when.optional(),
});
const ackBody = z.strictObject({ by: person, at: when.optional() });

/** `POST /api/incidents/:id/notes` and `/acknowledge`: what people add to an incident's timeline. */
export function incidentAnnotationsRouter(deps: AnnotateDeps): Router {
  const router = Router({ mergeParams: true });
  const json = express.json({ limit: '64kb' });

  router.post('/notes', json, async (req, res) => {
    const body = parseOr400(noteBody, req.body ?? {});
    const incident = await addIncidentNote(deps, incidentIdParam(req), {
      author: body.author,
      text: body.text,
      at: body.at === undefined ? undefined : new Date(body.at),
    });
    res.status(201).json(presentIncident(incident, deps.publicUrl));
  });

  router.post('/acknowledge', json, async (req, res) => {
    const body = parseOr400(ackBody, req.body ?? {});
    const at = body.at === undefined ? undefined : new Date(body.at);
    const incident = await acknowledgeIncident(deps, incidentIdParam(req), body.by, at);
    res.json(presentIncident(incident, deps.publicUrl));
  });

  return router;
}
