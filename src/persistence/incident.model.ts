import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { SEVERITIES } from '../domain/alert';
import { ALERT_TRANSITIONS } from '../domain/alert';

export interface StoredEvent {
  eventId: string;
  alertKey: string;
  scope: string | null;
  transition: string;
  rawTransition: string;
  at: Date;
  receivedAt: Date;
  message: string;
}

export interface IncidentDoc {
  _id: Types.ObjectId;
  groupKey: string;
  /**
   * The group's current incident (open, or the most recently resolved) holds `currentKey = groupKey`; a
   * retired one holds `groupKey#id`. The unique index on it is what makes "one current incident per group"
   * true when workers race: the second insert fails with a duplicate-key error and re-reads the winner.
   */
  currentKey: string;
  title: string;
  source: string;
  status: 'open' | 'resolved';
  severity: string | null;
  services: string[];
  hosts: string[];
  monitors: { id: string | null; name: string; url: string | null; query: string | null }[];
  detectedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
  resolutionCount: number;
  alerts: {
    key: string;
    scope: string | null;
    status: string;
    triggeredAt: Date | null;
    recoveredAt: Date | null;
  }[];
  /** How many alerts the incident has; `alerts` holds the first INCIDENT_ALERT_LIMIT. Absent on older ones. */
  alertCount?: number;
  /**
   * Which of `alerts` fire (indexes) and where the last event sorts: what advancing the projection needs, so a
   * change to an open incident reads no filed event (IncidentProjection). Absent on older ones.
   */
  firingAlerts?: number[];
  lastEvent?: { at: Date; receivedAt: Date; eventId: string } | null;
  /**
   * Events not filed in the incident_events collection yet: a change pushes its events here, and one in every
   * PENDING_EVENT_LIMIT or so files them there first (IncidentRepository). Absent on incidents written before
   * events were kept apart.
   */
  pendingEvents?: StoredEvent[];
  /** How many events the incident has, filed and pending; absent on incidents written before it was counted. */
  eventCount?: number;
  /**
   * Where incidents written before events were kept apart hold them all; the migration files them and removes
   * it (src/persistence/migrations.ts), and until then reads take them from here.
   */
  events?: StoredEvent[];
  /** The stored timeline of those older incidents: now derived from the events when read, and removed. */
  timeline?: unknown[];
  notes: { id: string; author: string; text: string; at: Date; receivedAt: Date }[];
  acknowledgements: { by: string; at: Date; receivedAt: Date }[];
  version: number;
  /** Which batch write made the last change of a batch (IncidentRepository.saveBatch); absent otherwise. */
  writeId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const nullableString = { type: String, default: null };

const monitorSchema = new Schema(
  { id: nullableString, name: { type: String, required: true }, url: nullableString, query: nullableString },
  { _id: false },
);
const alertSchema = new Schema(
  {
    key: { type: String, required: true },
    scope: nullableString,
    status: { type: String, required: true, enum: ['triggered', 'recovered', 'warn', 'no_data'] },
    triggeredAt: { type: Date, default: null },
    recoveredAt: { type: Date, default: null },
  },
  { _id: false },
);
const lastEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    eventId: { type: String, required: true },
  },
  { _id: false },
);
/** An alert event's fields, as an incident document and incident_events both store them. */
export const storedEventFields = {
  eventId: { type: String, required: true },
  alertKey: { type: String, required: true },
  scope: nullableString,
  transition: { type: String, required: true, enum: ALERT_TRANSITIONS },
  rawTransition: { type: String, required: true },
  at: { type: Date, required: true },
  receivedAt: { type: Date, required: true },
  message: { type: String, default: '' },
} as const;
const eventSchema = new Schema(storedEventFields, { _id: false });

const noteSchema = new Schema(
  {
    id: { type: String, required: true },
    author: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { _id: false },
);
const acknowledgementSchema = new Schema(
  {
    by: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { _id: false },
);

const incidentSchema = new Schema<IncidentDoc>(
  {
    groupKey: { type: String, required: true },
    currentKey: { type: String, required: true },
    title: { type: String, required: true },
    source: { type: String, required: true },
    status: { type: String, required: true, enum: ['open', 'resolved'] },
    severity: { type: String, default: null, enum: [...SEVERITIES, null] },
    services: { type: [String], default: [] },
    hosts: { type: [String], default: [] },
    monitors: { type: [monitorSchema], default: [] },
    detectedAt: { type: Date, required: true },
    resolvedAt: { type: Date, default: null },
    durationSeconds: { type: Number, default: null },
    resolutionCount: { type: Number, default: 0 },
    alerts: { type: [alertSchema], default: [] },
    alertCount: { type: Number },
    firingAlerts: { type: [Number], default: undefined },
    lastEvent: { type: lastEventSchema, default: undefined },
    pendingEvents: { type: [eventSchema], default: undefined },
    eventCount: { type: Number },
    // Older incidents' fields, only ever removed (the migration works on the collection itself).
    events: { type: [eventSchema], default: undefined },
    timeline: { type: [Schema.Types.Mixed], default: undefined },
    notes: { type: [noteSchema], default: [] },
    acknowledgements: { type: [acknowledgementSchema], default: [] },
    version: { type: Number, required: true },
    writeId: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'incidents', versionKey: false, strict: 'throw' },
);

// Uniqueness that the correctness of ingestion rests on.
incidentSchema.index({ currentKey: 1 }, { unique: true, name: 'current_per_group' });
// Every list query (GET /api/incidents) filters by some of status and services and sorts newest first by _id
// (the unfiltered list is served by the _id index itself).
incidentSchema.index({ status: 1, _id: -1 }, { name: 'status_newest' });
incidentSchema.index({ services: 1, _id: -1 }, { name: 'service_newest' });
incidentSchema.index({ status: 1, services: 1, _id: -1 }, { name: 'status_service_newest' });
incidentSchema.index({ groupKey: 1, _id: -1 }, { name: 'group_newest' });
// Insights: the incidents detected in a period, earliest first (listDetectedBetween).
incidentSchema.index({ detectedAt: 1, _id: 1 }, { name: 'detected_oldest' });
incidentSchema.index({ source: 1, _id: -1 }, { name: 'source_newest' });

export type IncidentModel = Model<IncidentDoc>;

export function incidentModel(connection: Connection): IncidentModel {
  return (
    (connection.models.Incident as IncidentModel | undefined) ??
    connection.model<IncidentDoc>('Incident', incidentSchema)
  );
}
