import { Schema, type Connection, type Model } from 'mongoose';
import { POSTMORTEM_STATUSES, type PostmortemSections } from '../domain/postmortem';

/**
 * One postmortem per incident (`_id` is the incident id). The pre-filled facts are stored as JSON text: they
 * are a snapshot for rendering, never queried, and carry monitor-made strings.
 */
export interface PostmortemDoc {
  _id: string;
  status: (typeof POSTMORTEM_STATUSES)[number];
  factsJson: string;
  resolutionCount: number;
  sections: PostmortemSections;
  version: number;
  draftedAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  updatedBy?: string | null;
  publishedBy?: string | null;
}

const text = { type: String, default: null };

const postmortemSchema = new Schema<PostmortemDoc>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true, enum: POSTMORTEM_STATUSES },
    factsJson: { type: String, required: true },
    resolutionCount: { type: Number, required: true },
    sections: {
      usersImpacted: text,
      incidentLead: text,
      rootCause: { technical: text, human: text, process: text },
      impact: { users: text, business: text, systems: text },
      resolution: text,
      lessons: { wentWell: text, wentWrong: text },
      correctiveMeasures: text,
    },
    version: { type: Number, required: true },
    draftedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
    updatedBy: { type: String, default: null },
    publishedBy: { type: String, default: null },
  },
  { collection: 'postmortems', versionKey: false, strict: 'throw' },
);

postmortemSchema.index({ status: 1, updatedAt: -1 }, { name: 'status_recent' });

export type PostmortemModel = Model<PostmortemDoc>;

export function postmortemModel(connection: Connection): PostmortemModel {
  return (
    (connection.models.Postmortem as PostmortemModel | undefined) ??
    connection.model<PostmortemDoc>('Postmortem', postmortemSchema)
  );
}
