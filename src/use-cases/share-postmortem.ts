/** Read-only links to published postmortems: made and revoked by people signed in, opened by anyone with one. */
import { randomBytes } from 'node:crypto';
import type { ActionItem, Postmortem } from '../domain/postmortem';
import { isActive, shareRefusal, type ShareLink } from '../domain/share-link';
import { NotFoundError, UnprocessableError } from '../errors';
import type { ActionItemStore, PostmortemStore, ShareLinkStore } from './ports';

export interface ShareDeps {
  postmortems: Pick<PostmortemStore, 'find'>;
  actionItems: Pick<ActionItemStore, 'listForIncident'>;
  shareLinks: ShareLinkStore;
  now: () => Date;
}

export async function createShareLink(deps: ShareDeps, incidentId: string, by: string): Promise<ShareLink> {
  const refusal = shareRefusal(
    await deps.postmortems.find(incidentId),
    await deps.shareLinks.listForIncident(incidentId),
  );
  if (refusal !== null) throw new UnprocessableError('not_shareable', `cannot share: ${refusal}`);
  const link: ShareLink = {
    id: randomBytes(24).toString('base64url'),
    incidentId,
    createdBy: by,
    createdAt: deps.now(),
    revokedBy: null,
    revokedAt: null,
  };
  await deps.shareLinks.insert(link);
  return link;
}

export async function revokeShareLink(
  deps: ShareDeps,
  incidentId: string,
  id: string,
  by: string,
): Promise<void> {
  if (!(await deps.shareLinks.revoke(incidentId, id, by, deps.now())))
    throw new NotFoundError('active share link');
}

/** What a share link shows: the published postmortem and its action items; not found once revoked. */
export async function openSharedPostmortem(
  deps: ShareDeps,
  id: string,
): Promise<{ postmortem: Postmortem; items: ActionItem[]; link: ShareLink }> {
  const link = await deps.shareLinks.find(id);
  if (link === null || !isActive(link)) throw new NotFoundError('shared postmortem');
  const postmortem = await deps.postmortems.find(link.incidentId);
  if (postmortem === null || postmortem.status !== 'published') throw new NotFoundError('shared postmortem');
  return { postmortem, items: await deps.actionItems.listForIncident(link.incidentId), link };
}
