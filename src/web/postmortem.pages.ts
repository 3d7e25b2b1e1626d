/**
 * `/incidents/:id/postmortem`: the pre-filled facts (read-only), a form per section with the draft's prompt,
 * action items, the draft → in review → published workflow, the Markdown download. A save names the version
 * it was made from; when someone else saved first, the page shows both texts and loses neither.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { ActionItem, Postmortem, PostmortemStatus } from '../domain/postmortem';
import { missingForPublication } from '../domain/postmortem-draft';
import { isOverdue } from '../domain/postmortem-editing';
import {
  SECTION_FIELDS,
  fieldPatch,
  fieldText,
  isSectionFieldKey,
  type SectionFieldKey,
} from '../domain/postmortem-fields';
import { renderPostmortemMarkdown } from '../domain/postmortem-markdown';
import { formatDate } from '../domain/time-format';
import { AppError, ValidationError, VersionConflictError } from '../errors';
import {
  createActionItem,
  deleteActionItem,
  loadPostmortem,
  updateActionItem,
  updatePostmortem,
} from '../use-cases/edit-postmortem';
import { renderMarkdown } from './markdown';
import { lateness, safeHref, shownDuration, shownTime } from './page-format';
import { shareUrl } from './share.pages';
import { incidentIdParam, pathParam } from '../http/params';
import { parseOr400, refuseNul } from '../http/validation';
import { sendPage } from './views';
import { personOf, type WebDeps } from './web.router';

const MAX_SECTION = 20_000;
const short = z.string().trim().min(1, 'is required').max(200, 'is over 200 characters');
const optionalShort = z
  .string()
  .trim()
  .max(200, 'is over 200 characters')
  .optional()
  .transform((s) => (s === undefined || s.length === 0 ? null : s));
const deadline = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s === undefined || s.length === 0 ? null : s))
  .pipe(z.iso.date({ message: 'must be a date such as 2026-07-01' }).nullable());
const version = z.coerce.number().int().min(1);
const itemForm = z.object({ task: short, owner: optionalShort, deadline });

const STATUS_ACTIONS: Record<PostmortemStatus, { to: PostmortemStatus; label: string }[]> = {
  draft: [{ to: 'in_review', label: 'Send for review' }],
  in_review: [
    { to: 'published', label: 'Publish' },
    { to: 'draft', label: 'Back to draft' },
  ],
  published: [],
};

interface Conflict {
  key: SectionFieldKey;
  yours: string;
}

export function postmortemPages(deps: WebDeps): Router {
  const router = Router();
  const { people, timezone } = deps;

  const show = async (
    res: Response,
    postmortem: Postmortem,
    extra: { status?: number; conflict?: Conflict; missing?: string[]; error?: string; saved?: string } = {},
  ) => {
    const items = await people.actionItems.listForIncident(postmortem.incidentId);
    const secret = deps.ui.sessionSecret;
    const shares =
      postmortem.status === 'published' && secret !== null
        ? (await deps.shareLinks.listForIncident(postmortem.incidentId)).filter((l) => l.revokedAt === null)
        : [];
    const today = formatDate(deps.now(), timezone);
    const { facts } = postmortem;
    const conflict = extra.conflict;
    sendPage(
      res,
      'postmortem',
      {
        title: `Postmortem: ${facts.title}`,
        person: personOf(res),
        incidentId: postmortem.incidentId,
        status: postmortem.status,
        statusText: postmortem.status.replace('_', ' '),
        version: postmortem.version,
        facts: {
          title: facts.title,
          summary: facts.issueSummary,
          detection: facts.detection,
          severity: facts.severity ?? '—',
          source: facts.source,
          services: facts.services.join(', ') || '—',
          hosts: facts.hosts.join(', ') || '—',
          detectedAt: shownTime(facts.detectedAt, timezone),
          resolvedAt: shownTime(facts.resolvedAt, timezone),
          duration: shownDuration(facts.durationSeconds),
          timeToDetect:
            facts.figures.timeToDetectSeconds === null
              ? null
              : shownDuration(facts.figures.timeToDetectSeconds),
          timeToAcknowledge:
            facts.figures.timeToAcknowledgeSeconds === null
              ? null
              : shownDuration(facts.figures.timeToAcknowledgeSeconds),
          timeToRecover: shownDuration(facts.figures.timeToRecoverSeconds),
          timelineOmitted: facts.timelineOmitted ?? 0,
          timeline: facts.timeline.map((t) => ({
            at: shownTime(t.at, timezone),
            kind: t.kind,
            text: t.text,
            late: lateness(t.at, t.receivedAt),
          })),
          metrics: (facts.metrics ?? []).flatMap((m) => (m.impactLine === null ? [] : [m.impactLine])),
          changes: (facts.changes ?? []).map((c) => ({
            at: shownTime(c.at, timezone),
            title: c.title ?? '(untitled)',
            source: c.source ?? '—',
            href: safeHref(c.url),
          })),
        },
        sections: SECTION_FIELDS.map((field) => {
          const saved = fieldText(postmortem.sections, field.key);
          const inConflict = conflict?.key === field.key;
          return {
            ...field,
            id: `field-${field.key.replace('.', '-')}`,
            text: inConflict ? conflict.yours : (saved ?? ''),
            base: saved ?? '',
            // In a conflict the preview is of the person's own text (the script renders it as they type).
            html: saved === null || inConflict ? null : renderMarkdown(saved),
            conflict: inConflict
              ? { theirs: saved ?? '', theirsHtml: saved === null ? '' : renderMarkdown(saved) }
              : null,
            saved: extra.saved === field.key,
          };
        }),
        items: items.map((item) => itemView(item, today)),
        missing: extra.missing ?? missingForPublication(postmortem, items),
        actions: STATUS_ACTIONS[postmortem.status],
        publishedAt: postmortem.publishedAt === null ? null : shownTime(postmortem.publishedAt, timezone),
        publishedBy: postmortem.publishedBy ?? null,
        updated: { at: shownTime(postmortem.updatedAt, timezone), by: postmortem.updatedBy ?? null },
        error: extra.error ?? null,
        today,
        shares: shares.map((link) => ({
          id: link.id,
          url: shareUrl(deps.publicUrl, secret!, link.id),
          createdBy: link.createdBy,
          createdAt: shownTime(link.createdAt, timezone),
        })),
      },
      extra.status ?? 200,
    );
  };

  router.get('/incidents/:id/postmortem', async (req, res) => {
    const postmortem = await loadPostmortem(people, incidentIdParam(req));
    const saved =
      typeof req.query.saved === 'string' && isSectionFieldKey(req.query.saved) ? req.query.saved : undefined;
    await show(res, postmortem, { saved });
  });

  router.get('/incidents/:id/postmortem.md', async (req, res) => {
    const id = incidentIdParam(req);
    const postmortem = await loadPostmortem(people, id);
    const items = await people.actionItems.listForIncident(id);
    res.setHeader('Content-Disposition', `attachment; filename="postmortem-${id}.md"`);
    res.type('text/markdown; charset=utf-8').send(renderPostmortemMarkdown(postmortem, items));
  });

  router.post('/incidents/:id/postmortem/preview', (req, res) => {
    const given = ((req.body ?? {}) as Record<string, unknown>).text;
    const text = typeof given === 'string' ? given.slice(0, MAX_SECTION) : '';
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.type('html').send(renderMarkdown(text));
  });

  router.post('/incidents/:id/postmortem/sections', async (req, res) => {
    const id = incidentIdParam(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    refuseNul(body);
    const key = typeof body.field === 'string' && isSectionFieldKey(body.field) ? body.field : null;
    if (key === null) throw new ValidationError('field', 'is not a section of the postmortem');
    const text = typeof body.text === 'string' ? body.text.replace(/\r\n/g, '\n') : '';
    if (text.length > MAX_SECTION) throw new ValidationError('text', `is over ${MAX_SECTION} characters`);
    const base = typeof body.base === 'string' ? body.base.replace(/\r\n/g, '\n') : '';
    const loaded = parseOr400(version, body.version, 'version');
    const patch = fieldPatch(key, text);
    for (let attempt = 0; ; attempt += 1) {
      const current = await loadPostmortem(people, id);
      // Someone saved since this form was loaded: fine if they left this field as it was; else both texts show.
      const expected =
        current.version === loaded || (fieldText(current.sections, key) ?? '') === base
          ? current.version
          : null;
      if (expected === null) {
        await show(res, current, { status: 409, conflict: { key, yours: text } });
        return;
      }
      try {
        await updatePostmortem(people, id, expected, { sections: patch, by: personOf(res).name });
        res.redirect(
          303,
          `/incidents/${id}/postmortem?saved=${encodeURIComponent(key)}#field-${key.replace('.', '-')}`,
        );
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= 3) throw error;
      }
    }
  });

  router.post('/incidents/:id/postmortem/status', async (req, res) => {
    const id = incidentIdParam(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const to = parseOr400(z.enum(['draft', 'in_review', 'published']), body.status, 'status');
    const loaded = parseOr400(version, body.version, 'version');
    try {
      await updatePostmortem(people, id, loaded, { status: to, by: personOf(res).name });
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'not_publishable' || error.code === 'version_conflict')
      ) {
        const current = await loadPostmortem(people, id);
        const missing = error.details?.missing as string[] | undefined;
        await show(res, current, {
          status: error.status,
          error:
            error.code === 'version_conflict'
              ? 'Someone changed this postmortem meanwhile: check it again, then choose again.'
              : 'It cannot be published yet: complete what is listed below.',
          ...(missing === undefined ? {} : { missing }),
        });
        return;
      }
      throw error;
    }
    res.redirect(303, `/incidents/${id}/postmortem#workflow`);
  });

  router.post('/incidents/:id/postmortem/action-items', async (req, res) => {
    const id = incidentIdParam(req);
    await createActionItem(people, id, parseOr400(itemForm, req.body ?? {}, 'form'));
    res.redirect(303, `/incidents/${id}/postmortem#action-items`);
  });

  router.post('/incidents/:id/postmortem/action-items/:itemId', async (req, res) => {
    const id = incidentIdParam(req);
    const itemId = pathParam(req, 'itemId').slice(0, 100);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const itemVersion = parseOr400(version, body.version, 'version');
    const action = parseOr400(z.enum(['save', 'done', 'reopen', 'delete']), body.action, 'action');
    try {
      if (action === 'delete') await deleteActionItem(people, id, itemId, itemVersion);
      else
        await updateActionItem(
          people,
          id,
          itemId,
          itemVersion,
          action === 'save'
            ? parseOr400(itemForm, body, 'form')
            : { status: action === 'done' ? 'done' : 'open' },
        );
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      await show(res, await loadPostmortem(people, id), {
        status: 409,
        error: 'Someone changed that action item meanwhile: here it is as it is now. Make your change again.',
      });
      return;
    }
    res.redirect(303, `/incidents/${id}/postmortem#action-items`);
  });

  return router;
}

function itemView(item: ActionItem, today: string) {
  return {
    id: item.id,
    task: item.task,
    owner: item.owner ?? '',
    deadline: item.deadline ?? '',
    status: item.status,
    done: item.status === 'done',
    overdue: isOverdue(item, today),
    version: item.version,
  };
}
