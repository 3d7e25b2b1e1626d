import type { ShareLink } from '../domain/share-link';
import type { ShareLinkStore } from '../use-cases/ports';
import type { ShareLinkDoc, ShareLinkModel } from './share-link.model';

const toLink = (doc: ShareLinkDoc): ShareLink => ({
  id: doc._id,
  incidentId: doc.incidentId,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  revokedBy: doc.revokedBy,
  revokedAt: doc.revokedAt,
});

export class ShareLinkRepository implements ShareLinkStore {
  constructor(private readonly links: ShareLinkModel) {}

  async insert(link: ShareLink): Promise<void> {
    const { id, ...fields } = link;
    await this.links.create({ _id: id, ...fields });
  }

  async find(id: string): Promise<ShareLink | null> {
    const doc = await this.links.findById(String(id)).lean<ShareLinkDoc>();
    return doc ? toLink(doc) : null;
  }

  async listForIncident(incidentId: string): Promise<ShareLink[]> {
    const docs = await this.links
      .find({ incidentId: String(incidentId) })
      .sort({ createdAt: 1 })
      .limit(1000)
      .lean<ShareLinkDoc[]>();
    return docs.map(toLink);
  }

  async revoke(incidentId: string, id: string, by: string, at: Date): Promise<boolean> {
    const result = await this.links.updateOne(
      { _id: String(id), incidentId: String(incidentId), revokedAt: null },
      { $set: { revokedBy: by, revokedAt: at } },
    );
    return result.modifiedCount === 1;
  }
}
