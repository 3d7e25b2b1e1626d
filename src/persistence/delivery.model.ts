import { Schema, type Connection, type Model } from 'mongoose';
import { NOTIFICATION_EVENTS } from '../domain/notification-messages';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One message to one target: created once, then updated by each delivery attempt. */
export interface DeliveryDoc {
  /** `${event}|${subjectId}|${revision}|${targetId}`: a retried schedule is the same delivery, a redraft a new one. */
  _id: string;
  targetId: string;
  event: string;
  subjectId: string;
  revision: number;
  incidentId: string | null;
  /** The request body as JSON text (rendered once, so every attempt sends the same bytes), never stored keys. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  /** Short, and never the target's URL. */
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    targetId: { type: String, required: true },
    event: { type: String, required: true, enum: NOTIFICATION_EVENTS },
    subjectId: { type: String, required: true },
    revision: { type: Number, required: true },
    incidentId: { type: String, default: null },
    body: { type: String, required: true },
    status: { type: String, required: true, enum: DELIVERY_STATUSES },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    lastStatusCode: { type: Number, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'deliveries', versionKey: false, strict: 'throw' },
);

// GET /api/incidents/:id/deliveries: oldest first.
deliverySchema.index({ incidentId: 1, createdAt: 1, _id: 1 }, { name: 'incident_created' });
// Deliveries by status (the failed ones, the ones still pending), oldest first.
deliverySchema.index({ status: 1, createdAt: 1, _id: 1 }, { name: 'status_created' });

export type DeliveryModel = Model<DeliveryDoc>;

export function deliveryModel(connection: Connection): DeliveryModel {
  return (
    (connection.models.Delivery as DeliveryModel | undefined) ??
    connection.model<DeliveryDoc>('Delivery', deliverySchema)
  );
}
