import { Schema, type Connection, type Model } from 'mongoose';

/** Read-only links to published postmortems, one document each (`_id` is the link's random id). */
export interface ShareLinkDoc {
  _id: string;
  incidentId: string;
  createdBy: string;
  createdAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

const shareLinkSchema = new Schema<ShareLinkDoc>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedBy: { type: String, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'share_links', versionKey: false, strict: 'throw' },
);

// A postmortem's links, oldest first.
shareLinkSchema.index({ incidentId: 1, createdAt: 1 }, { name: 'incident_created' });

export type ShareLinkModel = Model<ShareLinkDoc>;

export function shareLinkModel(connection: Connection): ShareLinkModel {
  return (
    (connection.models.ShareLink as ShareLinkModel | undefined) ??
    connection.model<ShareLinkDoc>('ShareLink', shareLinkSchema)
  );
}
