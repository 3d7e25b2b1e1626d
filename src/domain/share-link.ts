/**
 * A published postmortem shared read-only with people who have no account: a link made by a signed-in person,
 * valid until someone revokes it. At most MAX_ACTIVE_SHARE_LINKS per postmortem.
 */
export interface ShareLink {
  /** Random, unguessable; the link carries it with Hindsight's signature. */
  id: string;
  incidentId: string;
  createdBy: string;
  createdAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

export const MAX_ACTIVE_SHARE_LINKS = 10;

export function isActive(link: Pick<ShareLink, 'revokedAt'>): boolean {
  return link.revokedAt === null;
}

/** Why a new link cannot be made now, or null. */
export function shareRefusal(
  postmortem: { status: string } | null,
  links: readonly Pick<ShareLink, 'revokedAt'>[],
): string | null {
  if (postmortem === null || postmortem.status !== 'published')
    return 'only a published postmortem can be shared';
  if (links.filter(isActive).length >= MAX_ACTIVE_SHARE_LINKS)
    return `it has ${MAX_ACTIVE_SHARE_LINKS} active share links already: revoke one first`;
  return null;
}
