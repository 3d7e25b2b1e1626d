/**
 * Sharing a published postmortem read-only: `POST .../postmortem/share` makes a link, `.../revoke` ends one,
 * and `GET /shared/<token>` shows the report to anyone holding a live link, signed in or not. The token is the
 * link's random id signed with SESSION_SECRET, so a forged one is refused before any database read.
 */
import { Router } from 'express';
import { renderPostmortemMarkdown } from '../domain/postmortem-markdown';
import { NotFoundError } from '../errors';
import {
  createShareLink,
  openSharedPostmortem,
  revokeShareLink,
  type ShareDeps,
} from '../use-cases/share-postmortem';
import { sameSecret, sign } from './auth/sessions';
import { renderMarkdown } from './markdown';
import { incidentIdParam, pathParam } from '../http/params';
import { sendPage } from './views';
import { personOf } from './web.router';

export function shareToken(secret: string, linkId: string): string {
  return `${linkId}.${sign(secret, 'share', linkId)}`;
}

export function linkIdOf(secret: string, token: string): string | null {
  const match = /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match !== null && sameSecret(match[2]!, sign(secret, 'share', match[1]!)) ? match[1]! : null;
}

export function shareUrl(publicUrl: string, secret: string, linkId: string): string {
  return `${publicUrl}/shared/${shareToken(secret, linkId)}`;
}

export function sharePages(deps: ShareDeps & { secret: string | null; publicUrl: string }): Router {
  const router = Router();
  router.post('/incidents/:id/postmortem/share', async (req, res) => {
    const id = incidentIdParam(req);
    await createShareLink(deps, id, personOf(res).name);
    res.redirect(303, `/incidents/${id}/postmortem#sharing`);
  });

  router.post('/incidents/:id/postmortem/share/:linkId/revoke', async (req, res) => {
    const id = incidentIdParam(req);
    await revokeShareLink(deps, id, pathParam(req, 'linkId').slice(0, 64), personOf(res).name);
    res.redirect(303, `/incidents/${id}/postmortem#sharing`);
  });

  router.get('/shared/:token', async (req, res) => {
    const linkId = deps.secret === null ? null : linkIdOf(deps.secret, pathParam(req, 'token'));
    if (linkId === null) throw new NotFoundError('shared postmortem');
    const { postmortem, items } = await openSharedPostmortem(deps, linkId);
    // The URL is the credential: never sent on as a referrer, never indexed.
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    sendPage(
      res,
      'shared',
      {
        title: `Postmortem: ${postmortem.facts.title}`,
        person: null,
        report: renderMarkdown(renderPostmortemMarkdown(postmortem, items)),
      },
      200,
      { referrerPolicy: 'no-referrer' },
    );
  });

  return router;
}
