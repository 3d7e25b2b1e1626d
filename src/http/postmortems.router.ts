import express, { Router } from 'express';
import { z } from 'zod';
import { POSTMORTEM_STATUSES } from '../domain/postmortem';
import { presentPostmortemJson, renderPostmortemMarkdown } from '../domain/postmortem-markdown';
import {
  createActionItem,
  deleteActionItem,
  loadPostmortem,
  updateActionItem,
  updatePostmortem,
  type EditDeps,
} from '../use-cases/edit-postmortem';
import { presentActionItem } from '../presenters/action-item.presenter';
import { incidentIdParam, pathParam } from './params';
import { parseOr400 } from './validation';
import { expectedVersion, setVersionTag } from './versions';

const text = z.string().trim().min(1).max(20_000).nullable();
const short = z.string().trim().min(1).max(200);
const date = z.iso.date({ message: 'must be a date such as 2026-07-01' });

const sectionsPatch = z.strictObject({
  usersImpacted: text.optional(),
  incidentLead: text.optional(),
  rootCause: z
    .strictObject({ technical: text.optional(), human: text.optional(), process: text.optional() })
    .optional(),
  impact: z
    .strictObject({ users: text.optional(), business: text.optional(), systems: text.optional() })
    .optional(),
  resolution: text.optional(),
  lessons: z.strictObject({ wentWell: text.optional(), wentWrong: text.optional() }).optional(),
  correctiveMeasures: text.optional(),
});
const postmortemPatch = z.strictObject({
  version: z.number().int().min(1).optional(),
  status: z.enum(POSTMORTEM_STATUSES).optional(),
  sections: sectionsPatch.optional(),
});
const newActionItem = z.strictObject({
  task: short,
  owner: short.nullable().optional(),
  deadline: date.nullable().optional(),
});
const actionItemPatch = z.strictObject({
  version: z.number().int().min(1).optional(),
  task: short.optional(),
  owner: short.nullable().optional(),
  deadline: date.nullable().optional(),
  status: z.enum(['open', 'done']).optional(),
});
const versionOnly = z.strictObject({ version: z.number().int().min(1).optional() });

/** `/api/incidents/:id/postmortem...`: read the draft, complete it, manage its action items. */
export function postmortemsRouter(deps: EditDeps): Router {
  const router = Router({ mergeParams: true });
  const json = express.json({ limit: '256kb' });

  const view = async (incidentId: string) => {
    const postmortem = await loadPostmortem(deps, incidentId);
    const items = await deps.actionItems.listForIncident(incidentId);
    return { postmortem, items };
  };

  router.get('/postmortem', async (req, res) => {
    const incidentId = incidentIdParam(req);
    const { postmortem, items } = await view(incidentId);
    const notebook = (await deps.enrichments?.find(incidentId))?.notebook ?? null;
    setVersionTag(res, postmortem.version);
    res.json({
      ...presentPostmortemJson(postmortem, items),
      // The Datadog notebook it was exported to (DD_EXPORT_NOTEBOOKS), once published.
      ...(notebook === null ? {} : { datadogNotebook: { url: notebook.url, at: notebook.at.toISOString() } }),
    });
  });

  router.get('/postmortem.md', async (req, res) => {
    const { postmortem, items } = await view(incidentIdParam(req));
    setVersionTag(res, postmortem.version);
    res.type('text/markdown; charset=utf-8').send(renderPostmortemMarkdown(postmortem, items));
  });

  router.patch('/postmortem', json, async (req, res) => {
    const body = parseOr400(postmortemPatch, req.body ?? {});
    const version = expectedVersion(req, body.version, true);
    const postmortem = await updatePostmortem(deps, incidentIdParam(req), version, {
      status: body.status,
      sections: body.sections,
    });
    const items = await deps.actionItems.listForIncident(postmortem.incidentId);
    setVersionTag(res, postmortem.version);
    res.json(presentPostmortemJson(postmortem, items));
  });

  router.post('/postmortem/publish', json, async (req, res) => {
    const body = parseOr400(versionOnly, req.body ?? {});
    const current = await loadPostmortem(deps, incidentIdParam(req));
    const version = expectedVersion(req, body.version, false) ?? current.version;
    const postmortem = await updatePostmortem(deps, incidentIdParam(req), version, { status: 'published' });
    const items = await deps.actionItems.listForIncident(postmortem.incidentId);
    setVersionTag(res, postmortem.version);
    res.json(presentPostmortemJson(postmortem, items));
  });

  router.get('/postmortem/action-items', async (req, res) => {
    res.json({
      items: (await deps.actionItems.listForIncident(incidentIdParam(req))).map(presentActionItem),
    });
  });

  router.post('/postmortem/action-items', json, async (req, res) => {
    const item = await createActionItem(
      deps,
      incidentIdParam(req),
      parseOr400(newActionItem, req.body ?? {}),
    );
    setVersionTag(res, item.version);
    res.status(201).json(presentActionItem(item));
  });

  router.patch('/postmortem/action-items/:itemId', json, async (req, res) => {
    const { version, ...patch } = parseOr400(actionItemPatch, req.body ?? {});
    const item = await updateActionItem(
      deps,
      incidentIdParam(req),
      pathParam(req, 'itemId'),
      expectedVersion(req, version, false),
      patch,
    );
    setVersionTag(res, item.version);
    res.json(presentActionItem(item));
  });

  router.post('/postmortem/action-items/:itemId/complete', json, async (req, res) => {
    const { version } = parseOr400(versionOnly, req.body ?? {});
    const item = await updateActionItem(
      deps,
      incidentIdParam(req),
      pathParam(req, 'itemId'),
      expectedVersion(req, version, false),
      {
        status: 'done',
      },
    );
    setVersionTag(res, item.version);
    res.json(presentActionItem(item));
  });

  router.delete('/postmortem/action-items/:itemId', async (req, res) => {
    await deleteActionItem(
      deps,
      incidentIdParam(req),
      pathParam(req, 'itemId'),
      expectedVersion(req, undefined, false),
    );
    res.status(204).end();
  });

  return router;
}
