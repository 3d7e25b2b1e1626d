/**
 * Ingest one alert: record it, find the incident it belongs to, apply it exactly once.
 *
 * Exactly once rests on the database, not on this process: the alert log's _id makes a redelivery the same
 * record; the unique `currentKey` lets only one worker open a group's incident; and every change to an
 * incident names the version it was decided from, so a worker that lost a race re-reads and decides again.
 */
import type { Alert } from '../domain/alert';
import type { Incident } from '../domain/incident';
import { appendAlerts, newIncident, type ReceivedAlert } from '../domain/incident-building';
import {
  heldAlertsJoining,
  heldEventsSince,
  routeEvent,
  type RoutedEvent,
  type RoutingRules,
} from '../domain/incident-routing';
import type { AlertLog, AlertLogRecord, IncidentStore } from './ports';

export interface IngestDeps {
  incidents: IncidentStore;
  alertLog: AlertLog;
  rules: RoutingRules;
  newIncidentId: () => string;
  now: () => Date;
}

export interface IngestInput {
  alert: Alert;
  receivedAt: Date;
  raw: string;
  contentType: string;
}

export type IngestOutcome =
  | {
      kind: 'applied';
      incidentId: string;
      opened: boolean;
      before: IncidentSnapshot | null;
      after: IncidentSnapshot;
      /** The incident as this change left it (what follow-ups report, without reading it again). */
      incident: Incident;
    }
  | { kind: 'duplicate'; incidentId: string | null; after: IncidentSnapshot | null }
  | { kind: 'held'; reason: string }
  | { kind: 'test' };

/** Enough of an incident to tell what a change did (it opened, resolved or reopened the incident). */
export interface IncidentSnapshot {
  status: Incident['status'];
  resolutionCount: number;
  /** The incident's version after the change: a later change to a resolved incident has a later one. */
  version: number;
}

/** Each round re-reads what changed; this many lost races in a row means something is wrong. */
const MAX_ROUNDS = 50;

export class IngestConflictError extends Error {
  constructor(eventId: string) {
    super(`gave up on ${eventId} after ${MAX_ROUNDS} concurrent changes; the job will be retried`);
  }
}

export async function ingestAlert(deps: IngestDeps, input: IngestInput): Promise<IngestOutcome> {
  const { alert, receivedAt } = input;
  const previous = await deps.alertLog.record(logEntryOf(input));
  if (previous === 'applied') {
    // Already applied; the group's incident is still reported, so follow-ups a crash may have cut off (the
    // postmortem draft of a resolution) are queued again, harmlessly if they were not cut off.
    // And held alerts are joined again: this alert's first run may have opened or reopened the incident and
    // died before it could join the alerts held meanwhile.
    const current = await deps.incidents.findCurrent(alert.groupKey);
    if (current === null) return { kind: 'duplicate', incidentId: null, after: null };
    const joined = await joinHeldAlerts(deps, current, alert);
    return { kind: 'duplicate', incidentId: joined.id, after: snapshot(joined) };
  }
  if (alert.isTest) {
    await deps.alertLog.markTest(alert);
    return { kind: 'test' };
  }

  const received: ReceivedAlert = { alert, receivedAt };
  const event = routedEventOf(alert);
  let heldReason: string | null = null;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const current = await deps.incidents.findCurrent(alert.groupKey);
    const routing = routeEvent(current, event, deps.rules);
    switch (routing.action) {
      case 'duplicate': {
        // A retry of a run that died after its write: settle what that run could not finish. Held alerts that
        // joined the incident get their log marked, and alerts held meanwhile join it now.
        await deps.alertLog.markApplied(
          routing.incident.events.map((e) => ({ source: alert.source, eventId: e.eventId })),
          routing.incident.id,
        );
        const joined = await joinHeldAlerts(deps, routing.incident, alert);
        return { kind: 'duplicate', incidentId: joined.id, after: snapshot(joined) };
      }

      case 'append': {
        const { next, added } = appendAlerts(routing.incident, [received], deps.rules, deps.now());
        if (added.length > 0 && !(await deps.incidents.saveChange(next, added))) continue;
        await deps.alertLog.markApplied([alert], next.id);
        // Joining a resolved incident may reopen it or move its resolution, and so its reopen window: alerts
        // held past the old window may belong to it now.
        const after = routing.incident.status === 'resolved' ? await joinHeldAlerts(deps, next, alert) : next;
        return {
          kind: 'applied',
          incidentId: next.id,
          opened: false,
          before: snapshot(routing.incident),
          after: snapshot(after),
          incident: after,
        };
      }

      case 'open': {
        if (routing.retire && !(await deps.incidents.retire(routing.retire))) continue;
        const id = deps.newIncidentId();
        const now = deps.now();
        const held = await heldJoining(deps, newIncident(id, alert.groupKey, [received], deps.rules, now));
        const incident = newIncident(id, alert.groupKey, [received, ...held], deps.rules, now);
        if ((await deps.incidents.insertCurrent(incident)) === 'conflict') continue;
        await deps.alertLog.markApplied([alert, ...held.map((j) => j.alert)], incident.id);
        // Held alerts are read once more now that the incident exists: one held while this incident was being
        // written was not in the first read, and its own worker may have looked for an incident too early.
        const after = await joinHeldAlerts(deps, incident, alert);
        return {
          kind: 'applied',
          incidentId: incident.id,
          opened: true,
          before: null,
          after: snapshot(after),
          incident: after,
        };
      }

      case 'hold':
        // Held, then looked at once more: an incident opened meanwhile may not have seen the mark.
        if (heldReason !== null) return { kind: 'held', reason: heldReason };
        heldReason = routing.reason;
        await deps.alertLog.markHeld(alert, routing.reason);
        continue;
    }
  }
  throw new IngestConflictError(alert.eventId);
}

/** The group's held alerts that the incident takes (those the routing would append to it). */
async function heldJoining(deps: IngestDeps, incident: Incident): Promise<ReceivedAlert[]> {
  const since = heldEventsSince(incident.detectedAt, deps.rules);
  const held = await deps.alertLog.findHeld(incident.groupKey, since);
  return heldAlertsJoining(
    incident,
    held.map((h) => ({ alert: h.alert, receivedAt: h.receivedAt })),
    deps.rules,
  );
}

/** Appends the held alerts the incident takes (version-guarded, re-read and decided again on conflict). */
export async function joinHeldAlerts(deps: IngestDeps, joining: Incident, alert: Alert): Promise<Incident> {
  let incident = joining;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const held = await heldJoining(deps, incident);
    const { next, added } = appendAlerts(incident, held, deps.rules, deps.now());
    if (added.length === 0) return incident;
    if (await deps.incidents.saveChange(next, added)) {
      await deps.alertLog.markApplied(
        held.map((h) => h.alert),
        next.id,
      );
      return next;
    }
    const current = await deps.incidents.findById(incident.id);
    if (current === null) return incident;
    incident = current;
  }
  throw new IngestConflictError(alert.eventId);
}

/** The alert-log record of an input, as it is written before anything else happens to the alert. */
export function logEntryOf(input: IngestInput): Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'> {
  const { alert } = input;
  return {
    source: alert.source,
    eventId: alert.eventId,
    groupKey: alert.groupKey,
    alertKey: alert.alertKey,
    at: new Date(alert.at),
    receivedAt: input.receivedAt,
    contentType: input.contentType,
    raw: input.raw,
    alert,
  };
}

/** What the routing reads of an alert. */
export function routedEventOf(alert: Alert): RoutedEvent {
  return { eventId: alert.eventId, transition: alert.transition, at: new Date(alert.at) };
}

export function snapshot(incident: Incident): IncidentSnapshot {
  return { status: incident.status, resolutionCount: incident.resolutionCount, version: incident.version };
}
