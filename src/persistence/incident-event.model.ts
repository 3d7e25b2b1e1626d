import { Schema, type Connection, type Model } from 'mongoose';
import { ALERT_TRANSITIONS } from '../domain/alert';

/**
 * The alert events of incidents, one document each, only ever inserted: an incident's own document holds its
 * summary and the few events not filed here yet (IncidentDoc.pendingEvents), so a change to an incident costs
 * the same for its 10,000th event as for its second. The _id, `<incident id>/<event id>`, is the unique key
 * per (incident, event) that makes filing an event twice the same document.
 */
export interface IncidentEventDoc {
  _id: string;
  incidentId: string;
  eventId: string;
  alertKey: string;
  scope: string | null;
  transition: string;
  rawTransition: string;
  at: Date;
  receivedAt: Date;
  message: string;
}

const incidentEventSchema = new Schema<IncidentEventDoc>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    eventId: { type: String, required: true },
    alertKey: { type: String, required: true },
    scope: { type: String, default: null },
    transition: { type: String, required: true, enum: ALERT_TRANSITIONS },
    rawTransition: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    message: { type: String, default: '' },
  },
  { collection: 'incident_events', versionKey: false, strict: 'throw' },
);

// An incident's events, in the monitor's time order (IncidentRepository reads them all, or one incident's).
incidentEventSchema.index({ incidentId: 1, at: 1 }, { name: 'incident_events_by_time' });

export type IncidentEventModel = Model<IncidentEventDoc>;

export function incidentEventModel(connection: Connection): IncidentEventModel {
  return (
    (connection.models.IncidentEvent as IncidentEventModel | undefined) ??
    connection.model<IncidentEventDoc>('IncidentEvent', incidentEventSchema)
  );
}

/** The filed event's _id: its unique key per (incident, event). */
export function incidentEventId(incidentId: string, eventId: string): string {
  return `${incidentId}/${eventId}`;
}
