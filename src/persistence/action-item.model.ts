import { Schema, type Connection, type Model } from 'mongoose';
import { ACTION_ITEM_STATUSES } from '../domain/postmortem';

/** Action items live in their own collection so that follow-up across incidents is one indexed query. */
export interface ActionItemDoc {
  _id: string;
  incidentId: string;
  task: string;
  owner: string | null;
  deadline: string | null;
  status: (typeof ACTION_ITEM_STATUSES)[number];
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  version: number;
}

const actionItemSchema = new Schema<ActionItemDoc>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    task: { type: String, required: true },
    owner: { type: String, default: null },
    deadline: { type: String, default: null },
    status: { type: String, required: true, enum: ACTION_ITEM_STATUSES },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    version: { type: Number, required: true },
  },
  { collection: 'action_items', versionKey: false, strict: 'throw' },
);

// An incident's items, in the order they were written.
actionItemSchema.index({ incidentId: 1, createdAt: 1 }, { name: 'incident_created' });
// Follow-up across incidents: open items by deadline (overdue = deadline before today).
actionItemSchema.index({ status: 1, deadline: 1, _id: 1 }, { name: 'status_deadline' });

export type ActionItemModel = Model<ActionItemDoc>;

export function actionItemModel(connection: Connection): ActionItemModel {
  return (
    (connection.models.ActionItem as ActionItemModel | undefined) ??
    connection.model<ActionItemDoc>('ActionItem', actionItemSchema)
  );
}
