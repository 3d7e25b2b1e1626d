import { Schema, type Connection, type Model } from 'mongoose';
import { NOTIFICATION_EVENTS } from '../domain/notification-messages';
import type { Delivery } from '../use-cases/notify';

export const DELIVERY_STATUSES = [
  'pending',
  'delivered',
  'failed',
] as const satisfies readonly Delivery['status'][];

/**
 * One message to one target: created once, then updated by each delivery attempt. The use-case's Delivery
 * stored under `_id` (`${event}|${subjectId}|${revision}|${targetId}`: a retried schedule is the same delivery,
 * a redraft a new one); `body` is the request body as JSON text, `lastError` never holds the target's URL.
 */
export type DeliveryDoc = Omit<Delivery, 'id'> & { _id: string };

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
