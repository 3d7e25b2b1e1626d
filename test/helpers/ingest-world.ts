/** ingestAlert over in-memory ports: a fixed clock, ObjectIds 1, 2, 3... and a 30-minute reopen window. */
import type { Alert } from '../../src/domain/alert';
import {
  ingestAlert,
  type IncidentSnapshot,
  type IngestDeps,
  type IngestInput,
  type IngestOutcome,
} from '../../src/use-cases/ingest-alert';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { at, makeAlert } from './alerts';
import { fixedClock, MemoryAlertLog, MemoryIncidentStore, objectIds } from './memory-stores';

export const INGEST_NOW = '2026-06-14T12:00:00.000Z';
export const REOPEN_WINDOW_SECONDS = 1800;
/** makeAlert's group. */
export const GROUP = 'datadog:monitor:42';

export interface IngestWorld {
  incidents: MemoryIncidentStore;
  alertLog: MemoryAlertLog;
  deps: IngestDeps;
  /** Ingests an alert as the worker does, received at its own time unless told. */
  ingest(alert: Alert, receivedAt?: string): Promise<IngestOutcome>;
}

export function ingestWorld(): IngestWorld {
  const incidents = new MemoryIncidentStore();
  const alertLog = new MemoryAlertLog();
  const deps: IngestDeps = {
    incidents,
    alertLog,
    rules: routingRulesFrom({
      openingTransitions: ['triggered', 'retriggered'],
      reopenWindowSeconds: REOPEN_WINDOW_SECONDS,
    }),
    newIncidentId: objectIds(),
    now: fixedClock(INGEST_NOW),
  };
  return {
    incidents,
    alertLog,
    deps,
    ingest: (alert, receivedAt = alert.at) => ingestAlert(deps, ingestInput(alert, receivedAt)),
  };
}

/** A world whose incident 1 opened with `opening` (web-1, 10:00) and resolved with `recovered` (10:30). */
export async function resolvedAt1030(): Promise<{ w: IngestWorld; opening: Alert; recovered: Alert }> {
  const w = ingestWorld();
  const opening = trigger('10:00');
  const recovered = recovery('10:30');
  await w.ingest(opening);
  await w.ingest(recovered);
  return { w, opening, recovered };
}

/** What the worker hands ingestAlert for an alert received at `receivedAt`. */
export function ingestInput(alert: Alert, receivedAt: string = alert.at): IngestInput {
  return {
    alert,
    receivedAt: new Date(receivedAt),
    raw: JSON.stringify({ id: alert.eventId }),
    contentType: 'application/json',
  };
}

/** The alert-log entry ingestAlert records for `input` (to set up a log as an earlier run left it). */
export function logEntryOf({ alert, receivedAt, raw, contentType }: IngestInput) {
  const { source, eventId, groupKey, alertKey } = alert;
  return { source, eventId, groupKey, alertKey, at: new Date(alert.at), receivedAt, contentType, raw, alert };
}

/** The ids of an incident's events, in stored order. */
export function eventIdsOf(incident: { events: readonly { eventId: string }[] } | null): string[] {
  return incident?.events.map((e) => e.eventId) ?? [];
}

/** The default group's alert on `host` (web-1 unless told) firing at `hhmm`. */
export function trigger(hhmm: string, host = 'web-1'): Alert {
  return makeAlert({ transition: 'triggered', at: at(hhmm), scope: `host:${host}` });
}

/** The default group's alert on `host` (web-1 unless told) recovering at `hhmm`. */
export function recovery(hhmm: string, host = 'web-1'): Alert {
  return makeAlert({ transition: 'recovered', at: at(hhmm), scope: `host:${host}` });
}

/** The alerts' event ids, to compare with eventIdsOf an incident. */
export function eventIdsOfAlerts(...alerts: Alert[]): string[] {
  return alerts.map((a) => a.eventId);
}

/** An outcome's snapshot of the incident, whatever its version (tests of the version name it themselves). */
const anyVersion = expect.any(Number) as unknown as number;
export const OPEN: IncidentSnapshot = { status: 'open', resolutionCount: 0, version: anyVersion };
export const RESOLVED: IncidentSnapshot = { status: 'resolved', resolutionCount: 1, version: anyVersion };
