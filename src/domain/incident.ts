/**
 * The incident as the domain sees it: plain data, no I/O.
 *
 * An incident has the alert events that belong to it (`events`); everything else about its state
 * (alerts, status, detection and resolution times, timeline) is a projection of those events sorted by the
 * monitor's own time, so duplicates, retries and out-of-order deliveries settle by time, not by arrival.
 */
import type { AlertTransition, MonitorRef, Severity } from './alert';

export type IncidentStatus = 'open' | 'resolved';
export type AlertStatus = 'triggered' | 'recovered' | 'warn' | 'no_data';
export const TIMELINE_KINDS = [
  'triggered',
  'retriggered',
  'warn',
  'no_data',
  'recovered',
  'resolved',
  'reopened',
  'acknowledged',
  'note',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One alert event as the incident keeps it (the full payload stays in the alert log). */
export interface IncidentEvent {
  eventId: string;
  alertKey: string;
  scope: string | null;
  transition: AlertTransition;
  rawTransition: string;
  at: Date;
  receivedAt: Date;
  /** A one-line summary for the timeline. */
  message: string;
}

export interface IncidentAlert {
  key: string;
  scope: string | null;
  status: AlertStatus;
  /** Start of the alert's latest firing period. */
  triggeredAt: Date | null;
  /** End of the alert's latest firing period; null while it fires. */
  recoveredAt: Date | null;
}

export interface TimelineEntry {
  /** Stable identity of the entry: derived from the event that caused it. */
  key: string;
  at: Date;
  receivedAt: Date;
  kind: TimelineKind;
  alertKey: string | null;
  message: string;
}

/** A note a person added to the timeline. */
export interface IncidentNote {
  id: string;
  author: string;
  text: string;
  /** When it happened (people may note something after the fact); defaults to when it was written. */
  at: Date;
  receivedAt: Date;
}

/** Someone took the incident on. */
export interface IncidentAcknowledgement {
  by: string;
  at: Date;
  receivedAt: Date;
}

/** What the events say about the incident: a pure function of its events. */
export interface IncidentProjection {
  status: IncidentStatus;
  /** Its first INCIDENT_ALERT_LIMIT alerts (src/domain/incident-projection.ts). */
  alerts: IncidentAlert[];
  /** How many alerts it has, listed or not. */
  alertCount: number;
  detectedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
  timeline: TimelineEntry[];
  /** How many times the incident went from open to resolved. */
  resolutionCount: number;
  /**
   * Which of `alerts` (their indexes) fire, and where its last event sorts: with them the projection is advanced
   * by later events without its earlier ones (advanceProjection). Absent on incidents stored before them.
   */
  firingAlerts?: number[];
  lastEvent?: EventOrder;
}

/** Where an event sorts among an incident's events (compareEvents). */
export interface EventOrder {
  at: Date;
  receivedAt: Date;
  eventId: string;
}

/** Facts gathered from the alerts, merged as events arrive (order-independent). */
export interface IncidentFacts {
  title: string;
  source: string;
  severity: Severity | null;
  services: string[];
  hosts: string[];
  monitors: MonitorRef[];
}

export interface Incident extends IncidentFacts, IncidentProjection {
  id: string;
  /** The correlation key the incident groups alerts by. */
  groupKey: string;
  events: IncidentEvent[];
  /**
   * Storage bookkeeping the domain only carries along: how many of `events`, the first ones, the store keeps
   * apart from the incident's own record (absent: none).
   */
  filedEventCount?: number;
  /**
   * Events the store did not read (absent: none): an incident read only to decide a change holds, in `events`
   * and `timeline`, only those its own record keeps, and its projection is advanced, not projected again.
   */
  unreadEventCount?: number;
  notes: IncidentNote[];
  acknowledgements: IncidentAcknowledgement[];
  /** Incremented on every write; a write names the version it was decided from. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
