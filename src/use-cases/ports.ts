/** What the use-cases need from the edges. The persistence layer implements these with mongoose. */
import type {
  ChangesEnrichment,
  EnrichmentProblem,
  IncidentEnrichment,
  MetricEnrichment,
  NotebookEnrichment,
} from '../domain/enrichment';
import type { MonitorDetails } from '../domain/enrichment-monitor';
import type { Alert } from '../domain/alert';
import type { Incident, IncidentEvent, IncidentStatus } from '../domain/incident';
import type { ActionItem, ActionItemStatus, Postmortem } from '../domain/postmortem';
import type { Session } from '../web/auth/sessions';
import type { ShareLink } from '../domain/share-link';

export interface IncidentStore {
  /** The group's current incident: open, or the most recently resolved; null if the group has none. */
  findCurrent(groupKey: string): Promise<Incident | null>;
  /** Inserts an incident as its group's current one; 'conflict' when another is current already. */
  insertCurrent(incident: Incident): Promise<'inserted' | 'conflict'>;
  /** Writes `next` (pushing `added` events) only if the stored version is still `next.version - 1`. */
  saveChange(next: Incident, added: IncidentEvent[]): Promise<boolean>;
  /** Makes the incident no longer its group's current one, if still at its version. */
  retire(incident: Incident): Promise<boolean>;
  findById(id: string): Promise<Incident | null>;
  /** The current incidents of these groups, by group key, in one read (a group without one is absent). */
  findCurrentMany(groupKeys: readonly string[]): Promise<Map<string, Incident>>;
  /**
   * Applies the writes of a batch in one round trip, each on its own terms: an insert only if its group has no
   * current incident, a change only if the stored version is still `fromVersion`. Answers the ids of the
   * incidents whose write did not take effect (lost its race); the others did.
   */
  saveBatch(writes: readonly IncidentWrite[]): Promise<Set<string>>;
  list(query: IncidentListQuery): Promise<{ items: Incident[]; nextCursor: string | null }>;
  /**
   * Incidents detected in [from, to), earliest detection first (then by id), at most `limit`: for figures,
   * so without their timeline, alerts and notes (empty arrays); events and acknowledgements are whole.
   */
  listDetectedBetween(from: Date, to: Date, limit: number): Promise<Incident[]>;
}

export type IncidentWrite =
  | { kind: 'insert'; incident: Incident }
  | { kind: 'change'; next: Incident; added: IncidentEvent[]; fromVersion: number };

export interface IncidentListQuery {
  status?: IncidentStatus;
  service?: string;
  source?: string;
  /** Detected at or after. */
  detectedFrom?: Date;
  /** Detected before. */
  detectedBefore?: Date;
  limit: number;
  /** Opaque: the id of the last incident of the previous page. */
  cursor?: string;
}

export type AlertLogStatus = 'received' | 'applied' | 'held' | 'test';

export interface AlertLogRecord {
  source: string;
  eventId: string;
  groupKey: string;
  alertKey: string;
  at: Date;
  receivedAt: Date;
  contentType: string;
  raw: string;
  alert: Alert;
  status: AlertLogStatus;
  incidentId: string | null;
  /** Why it is held, or that it was a test notification. */
  note: string | null;
}

export interface AlertLogQuery {
  status?: AlertLogStatus;
  incidentId?: string;
  limit: number;
  /** Opaque: where the previous page ended. */
  cursor?: string;
}

/** Reading the alert log, for people inspecting what came in. */
export interface AlertLogQueries {
  list(query: AlertLogQuery): Promise<{ items: AlertLogRecord[]; nextCursor: string | null }>;
}

export interface AlertLog {
  /** Records the alert if new; returns the status of the record as it was before (null if it was new). */
  record(entry: Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>): Promise<AlertLogStatus | null>;
  markApplied(alerts: readonly Pick<Alert, 'source' | 'eventId'>[], incidentId: string): Promise<void>;
  markTest(alert: Pick<Alert, 'source' | 'eventId'>): Promise<void>;
  /** Marks the alert held unless something applied it meanwhile. */
  markHeld(alert: Pick<Alert, 'source' | 'eventId'>, reason: string): Promise<void>;
  /** Held alerts of a group at or after `since`, oldest first. */
  findHeld(groupKey: string, since: Date): Promise<AlertLogRecord[]>;
  /** Records many alerts in one write: each entry's status as it was before (null where it is new), in order. */
  recordMany(
    entries: readonly Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>[],
  ): Promise<(AlertLogStatus | null)[]>;
  /** Held alerts of these groups at or after `since`, oldest first, in one read. */
  findHeldMany(groupKeys: readonly string[], since: Date): Promise<AlertLogRecord[]>;
  /** Sets the outcome of many records in one write (a held mark only where nothing applied it meanwhile). */
  settle(marks: readonly AlertLogMark[]): Promise<void>;
}

export type AlertLogMark =
  | { alert: Pick<Alert, 'source' | 'eventId'>; status: 'applied'; incidentId: string }
  | { alert: Pick<Alert, 'source' | 'eventId'>; status: 'held'; reason: string }
  | { alert: Pick<Alert, 'source' | 'eventId'>; status: 'test' };

/** A postmortem as lists need it: whose, and how far along (no facts, no sections read). */
export type PostmortemStatusOf = Pick<Postmortem, 'incidentId' | 'status'>;

export interface PostmortemStore {
  find(incidentId: string): Promise<Postmortem | null>;
  /** The statuses of these incidents' postmortems (of those that have one), in no particular order. */
  findStatuses(incidentIds: readonly string[]): Promise<PostmortemStatusOf[]>;
  /** 'conflict' when the incident has a postmortem already. */
  insert(postmortem: Postmortem): Promise<'inserted' | 'conflict'>;
  /** Inserts each postmortem its incident has none of yet, in one write; answers the incidents that had one. */
  insertMany(postmortems: readonly Postmortem[]): Promise<Set<string>>;
  /** Writes `next` only if the stored version is still `next.version - 1`. */
  saveChange(next: Postmortem): Promise<boolean>;
  /** Deletes the postmortem only if it is still at its version. */
  withdraw(postmortem: Postmortem): Promise<boolean>;
}

/** What Datadog's API added to incidents (Datadog enrichment), one atomic write per fact. */
export interface EnrichmentStore {
  /** Everything added to the incident so far; empty lists when nothing. */
  find(incidentId: string): Promise<IncidentEnrichment>;
  /** Keeps the monitor's details for the incident; a later read replaces an earlier one. */
  saveMonitor(incidentId: string, monitor: MonitorDetails, at: Date): Promise<void>;
  /** Keeps a monitor's metric over a resolution; a later resolution's replaces it. */
  saveMetric(incidentId: string, metric: MetricEnrichment): Promise<void>;
  /** Keeps the changes shortly before detection; a later read replaces an earlier one. */
  saveChanges(incidentId: string, changes: ChangesEnrichment): Promise<void>;
  /** Records the notebook a postmortem went to, once per incident: true when it was not recorded before. */
  recordNotebook(incidentId: string, notebook: NotebookEnrichment): Promise<boolean>;
  /** Records a call that failed for good, once per (incident, call): true when it was not recorded before. */
  recordProblem(incidentId: string, problem: EnrichmentProblem): Promise<boolean>;
}

export interface ActionItemQuery {
  status?: ActionItemStatus;
  /** Only items whose deadline is before this date (`YYYY-MM-DD`). */
  overdueBefore?: string;
}

export interface ActionItemStore {
  listForIncident(incidentId: string): Promise<ActionItem[]>;
  /** The items of these incidents, by incident id, then in the order they were written. */
  listForIncidents(incidentIds: readonly string[]): Promise<ActionItem[]>;
  find(incidentId: string, id: string): Promise<ActionItem | null>;
  insert(item: ActionItem): Promise<void>;
  /** Writes `next` only if the stored version is still `next.version - 1`. */
  saveChange(next: ActionItem): Promise<boolean>;
  /** Deletes the item only if it is still at its version. */
  delete(item: ActionItem): Promise<boolean>;
  list(query: ActionItemQuery): Promise<ActionItem[]>;
}

/** The browser UI's sessions (src/web/auth/sessions.ts): kept server-side so that signing out ends one. */
export interface SessionStore {
  /** Keeps the session until its expiresAt. */
  save(session: Session): Promise<void>;
  /** The session, if it exists and has not expired. */
  find(id: string): Promise<Session | null>;
  remove(id: string): Promise<void>;
}

/** Read-only links to published postmortems (src/domain/share-link.ts). */
export interface ShareLinkStore {
  insert(link: ShareLink): Promise<void>;
  find(id: string): Promise<ShareLink | null>;
  /** An incident's links, oldest first, revoked ones included. */
  listForIncident(incidentId: string): Promise<ShareLink[]>;
  /** Marks the link revoked if it is not yet; false when it was already (or does not exist). */
  revoke(incidentId: string, id: string, by: string, at: Date): Promise<boolean>;
}
