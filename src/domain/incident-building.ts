/** Builds and grows incidents from alerts: the facts they carry and the projection of their events. */
import { higherSeverity, type Alert, type MonitorRef } from './alert';
import type {
  Incident,
  IncidentAcknowledgement,
  IncidentEvent,
  IncidentFacts,
  IncidentNote,
  TimelineEntry,
} from './incident';
import { advanceProjection, projectIncident, type ProjectionRules } from './incident-projection';

const MESSAGE_LIMIT = 300;

/**
 * An incident names at most this many services, hosts and monitors, the first ones its alerts brought: each
 * alert brings at most 50 of each (src/payloads/alert-bounds.ts), and a monitor that renotifies for weeks with
 * new tags each time must not grow its incident without end. The alert log keeps every alert whole.
 */
export const INCIDENT_LIST_LIMITS = { services: 100, hosts: 100, monitors: 50 } as const;

export interface ReceivedAlert {
  alert: Alert;
  receivedAt: Date;
}

export function eventFromAlert({ alert, receivedAt }: ReceivedAlert): IncidentEvent {
  const where = alert.scope === null ? '' : ` on ${alert.scope}`;
  const firstLine = alert.message.split('\n').find((line) => line.trim().length > 0) ?? '';
  const detail = firstLine.trim().length > 0 ? `: ${firstLine.trim()}` : '';
  return {
    eventId: alert.eventId,
    alertKey: alert.alertKey,
    scope: alert.scope,
    transition: alert.transition,
    rawTransition: alert.rawTransition,
    at: new Date(alert.at),
    receivedAt,
    message: `${alert.rawTransition}${where}${detail}`.slice(0, MESSAGE_LIMIT),
  };
}

export function factsFromAlerts(alerts: readonly Alert[], base?: IncidentFacts): IncidentFacts {
  const first = alerts[0];
  if (base === undefined && first === undefined) throw new Error('facts need at least one alert');
  const facts: IncidentFacts = base
    ? { ...base, services: [...base.services], hosts: [...base.hosts], monitors: [...base.monitors] }
    : { title: first!.title, source: first!.source, severity: null, services: [], hosts: [], monitors: [] };
  for (const alert of alerts) {
    facts.severity = higherSeverity(facts.severity, alert.severity);
    addAll(facts.services, alert.services, INCIDENT_LIST_LIMITS.services);
    addAll(facts.hosts, alert.hosts, INCIDENT_LIST_LIMITS.hosts);
    if (
      facts.monitors.length < INCIDENT_LIST_LIMITS.monitors &&
      !facts.monitors.some((m) => sameMonitor(m, alert.monitor))
    )
      facts.monitors.push({ ...alert.monitor });
  }
  return facts;
}

/** A new incident from its first alerts (the opening one and any held ones that join it). */
export function newIncident(
  id: string,
  groupKey: string,
  received: readonly ReceivedAlert[],
  rules: ProjectionRules,
  now: Date,
): Incident {
  const events = uniqueEvents(received.map(eventFromAlert));
  return {
    id,
    groupKey,
    ...factsFromAlerts(received.map((r) => r.alert)),
    ...projectIncident(events, rules),
    events,
    notes: [],
    acknowledgements: [],
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** The incident with these alerts added; `added` lists the events it did not have yet (maybe none). */
export function appendAlerts(
  incident: Incident,
  received: readonly ReceivedAlert[],
  rules: ProjectionRules,
  now: Date,
): { next: Incident; added: IncidentEvent[] } {
  const known = new Set(incident.events.map((e) => e.eventId));
  const added = uniqueEvents(received.map(eventFromAlert)).filter((e) => !known.has(e.eventId));
  if (added.length === 0) return { next: incident, added };
  const fresh = received.filter((r) => added.some((e) => e.eventId === r.alert.eventId)).map((r) => r.alert);
  const events = [...incident.events, ...added];
  // An incident read without all its events (to decide a change, see Incident.unreadEventCount) is advanced
  // from its projection; its timeline then holds only the entries of the events it does hold.
  const whole = (incident.unreadEventCount ?? 0) === 0;
  const projection = whole ? projectIncident(events, rules) : advanceProjection(incident, added, rules);
  const next: Incident = {
    ...incident,
    ...factsFromAlerts(fresh, incident),
    ...projection,
    timeline: whole
      ? annotateTimeline(projection.timeline, incident.notes, incident.acknowledgements)
      : [...incident.timeline, ...projection.timeline],
    events,
    version: incident.version + 1,
    updatedAt: now,
  };
  return { next, added };
}

/** The incident with a person's note on its timeline (a note already there, by id, changes nothing). */
export function addNote(incident: Incident, note: IncidentNote, now: Date): Incident {
  if (incident.notes.some((n) => n.id === note.id)) return incident;
  const notes = [...incident.notes, note];
  return {
    ...incident,
    notes,
    timeline: annotateTimeline(incident.timeline, notes, incident.acknowledgements),
    version: incident.version + 1,
    updatedAt: now,
  };
}

/** The incident acknowledged by someone; each person's first acknowledgement counts once. */
export function acknowledge(incident: Incident, ack: IncidentAcknowledgement, now: Date): Incident {
  if (incident.acknowledgements.some((a) => a.by === ack.by)) return incident;
  const acknowledgements = [...incident.acknowledgements, ack];
  return {
    ...incident,
    acknowledgements,
    timeline: annotateTimeline(incident.timeline, incident.notes, acknowledgements),
    version: incident.version + 1,
    updatedAt: now,
  };
}

/** The alert timeline with people's notes and acknowledgements placed by their time. */
export function annotateTimeline(
  timeline: readonly TimelineEntry[],
  notes: readonly IncidentNote[],
  acknowledgements: readonly IncidentAcknowledgement[],
): TimelineEntry[] {
  // People's entries are rebuilt below; a source's acknowledgement (an alert event) stays.
  const fromAlerts = timeline.filter((t) => !t.key.startsWith('note:') && !t.key.startsWith('ack:'));
  const annotations: TimelineEntry[] = [
    ...acknowledgements.map((a) => ({
      key: `ack:${a.by}`,
      at: a.at,
      receivedAt: a.receivedAt,
      kind: 'acknowledged' as const,
      alertKey: null,
      message: `Acknowledged by ${a.by}`,
    })),
    ...notes.map((n) => ({
      key: `note:${n.id}`,
      at: n.at,
      receivedAt: n.receivedAt,
      kind: 'note' as const,
      alertKey: null,
      message: `${n.author}: ${n.text}`,
    })),
  ];
  // Stable: at equal times, alert entries come first, then acknowledgements, then notes, each in their order.
  return [...fromAlerts, ...annotations]
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

function uniqueEvents(events: IncidentEvent[]): IncidentEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}

function addAll(target: string[], values: readonly string[], max: number): void {
  for (const value of values) {
    if (target.length >= max) return;
    if (!target.includes(value)) target.push(value);
  }
}

function sameMonitor(a: MonitorRef, b: MonitorRef): boolean {
  return a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;
}
