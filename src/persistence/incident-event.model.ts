import { Schema, type Connection, type Model } from 'mongoose';
import { storedEventFields, type StoredEvent } from './incident.model';

/**
 * The alert events of incidents, one document each, only ever inserted: an incident's own document holds its
 * summary and the few events not filed here yet (IncidentDoc.pendingEvents), so a change to an incident costs
 * the same for its 10,000th event as for its second. The _id, `<incident id>/<event id>`, is the unique key
 * per (incident, event) that makes filing an event twice the same document.
 */
export interface IncidentEventDoc extends StoredEvent {
  _id: string;
  incidentId: string;
}

const incidentEventSchema = new Schema<IncidentEventDoc>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    ...storedEventFields,
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

/** An event as filed: the event, under its unique key per (incident, event). */
export function filedEventDocument(incidentId: string, event: StoredEvent): IncidentEventDoc {
  return { _id: `${incidentId}/${event.eventId}`, incidentId, ...event };
}
