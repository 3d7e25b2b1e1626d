/**
 * Opsgenie's words, mapped to ours. Lookups go through Map objects keyed by a normalized word
 * (`normalizeWord`: `AddNote` -> `addnote`), so a payload word never reaches a prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** What one tracked action means: our transition, and the verb its message starts with (none for a Create). */
export interface TrackedAction {
  transition: AlertTransition;
  verb: string | null;
}

/**
 * The outgoing-webhook actions that change an alert's state (or record someone taking it on). Every other
 * action is not tracked: AddNote (a note is no alert transition), UnAcknowledge (someone taking their
 * acknowledgement back; the alert fires on, unchanged), Escalate, AssignOwnership, TakeOwnership, AddTags,
 * RemoveTags, AddTeam, AddRecipient, AddResponder, UpdatePriority, Snooze, custom actions and Delete (a
 * deleted alert is gone, not recovered: its incident resolves only when it is closed).
 */
const ACTIONS: ReadonlyMap<string, TrackedAction> = new Map<string, TrackedAction>([
  ['create', { transition: 'triggered', verb: null }],
  ['acknowledge', { transition: 'acknowledged', verb: 'Acknowledged' }],
  ['close', { transition: 'recovered', verb: 'Closed' }],
]);

/** `alert.priority`: `P1`..`P5`, or the bare digit some senders write. */
const SEVERITY_BY_PRIORITY: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['p1', 'P1'],
  ['p2', 'P2'],
  ['p3', 'P3'],
  ['p4', 'P4'],
  ['p5', 'P5'],
  ['1', 'P1'],
  ['2', 'P2'],
  ['3', 'P3'],
  ['4', 'P4'],
  ['5', 'P5'],
]);

/** The tracked meaning of an action, or null for one we do not track. */
export function trackedAction(action: string): TrackedAction | null {
  return ACTIONS.get(normalizeWord(action)) ?? null;
}

export function severityOf(priority: string | null): Severity | null {
  return (priority === null ? undefined : SEVERITY_BY_PRIORITY.get(normalizeWord(priority))) ?? null;
}
