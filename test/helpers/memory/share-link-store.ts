/** ShareLinkStore in memory, for unit tests: copies in and out, as the database gives. */
import type { ShareLink } from '../../../src/domain/share-link';
import type { ShareLinkStore } from '../../../src/use-cases/ports';

export class MemoryShareLinkStore implements ShareLinkStore {
  readonly links = new Map<string, ShareLink>();

  insert(link: ShareLink): Promise<void> {
    if (this.links.has(link.id)) return Promise.reject(new Error(`duplicate share link ${link.id}`));
    this.links.set(link.id, { ...link });
    return Promise.resolve();
  }

  find(id: string): Promise<ShareLink | null> {
    const link = this.links.get(id);
    return Promise.resolve(link === undefined ? null : { ...link });
  }

  listForIncident(incidentId: string): Promise<ShareLink[]> {
    return Promise.resolve(
      [...this.links.values()]
        .filter((l) => l.incidentId === incidentId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((l) => ({ ...l })),
    );
  }

  revoke(incidentId: string, id: string, by: string, at: Date): Promise<boolean> {
    const link = this.links.get(id);
    if (link === undefined || link.incidentId !== incidentId || link.revokedAt !== null)
      return Promise.resolve(false);
    this.links.set(id, { ...link, revokedBy: by, revokedAt: at });
    return Promise.resolve(true);
  }
}
