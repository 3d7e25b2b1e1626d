import { Schema, type Connection, type Model } from 'mongoose';

export const ALERT_LOG_STATUSES = ['received', 'applied', 'held', 'test'] as const;
export type AlertLogStatus = (typeof ALERT_LOG_STATUSES)[number];

/** Every accepted alert, with its payload as received, so it can be inspected and replayed. */
export interface AlertLogDoc {
  /** `<source>|<eventId>`: the identity that makes a redelivery the same record. */
  _id: string;
  source: string;
  eventId: string;
  groupKey: string;
  alertKey: string;
  at: Date;
  receivedAt: Date;
  contentType: string;
  /** The payload exactly as received (JSON or form text), never parsed into stored keys. */
  raw: string;
  /** The adapter's result, stored as JSON text: its tags and values are foreign data. */
  alertJson: string;
  status: AlertLogStatus;
  incidentId: string | null;
  note: string | null;
  updatedAt: Date;
}

const alertLogSchema = new Schema<AlertLogDoc>(
  {
    _id: { type: String, required: true },
    source: { type: String, required: true },
    eventId: { type: String, required: true },
    groupKey: { type: String, required: true },
    alertKey: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    contentType: { type: String, required: true },
    raw: { type: String, required: true },
    alertJson: { type: String, required: true },
    status: { type: String, required: true, enum: ALERT_LOG_STATUSES },
    incidentId: { type: String, default: null },
    note: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'alert_log', versionKey: false, strict: 'throw' },
);

// Held events are looked up by group when an incident opens.
alertLogSchema.index({ groupKey: 1, status: 1, at: 1 }, { name: 'group_status_at' });
// GET /api/alert-log: newest first, optionally by status or incident.
alertLogSchema.index({ receivedAt: -1, _id: -1 }, { name: 'newest' });
alertLogSchema.index({ status: 1, receivedAt: -1, _id: -1 }, { name: 'status_newest' });
alertLogSchema.index({ incidentId: 1, receivedAt: -1, _id: -1 }, { name: 'incident_newest' });

export type AlertLogModel = Model<AlertLogDoc>;

export function alertLogModel(connection: Connection): AlertLogModel {
  return (
    (connection.models.AlertLog as AlertLogModel | undefined) ??
    connection.model<AlertLogDoc>('AlertLog', alertLogSchema)
  );
}
