/**
 * Ingest a batch of alerts (one `alerts.ingest` job) as a batch: their alert-log records written with one
 * insert, their groups' current incidents read with one query, the changes decided in memory by the same pure
 * domain as one alert at a time, written with one bulk write, and their log statuses set with one write. A
 * storm of 400 alerts then costs a handful of round trips per job, not five per alert.
 *
 * The exactly-once rules are the ones of ingestAlert (src/use-cases/ingest-alert.ts), and they rest on the
 * same guards: the alert log's _id, the unique current incident per group, and the version each change was
 * decided from. Each write of the bulk write is guarded on its own; a write that lost its race has its
 * group's alerts decided again, alone, by ingestAlert, which re-reads and retries. So does anything the batch
 * does not decide itself, because it is rare and has its own careful path there: a redelivery, an alert to
 * hold, an incident to retire and open again, an event the incident already has. Alerts of one group keep
 * their order: the batch takes a group's alerts up to the first one it leaves to ingestAlert, and those from
 * there on run one after the other once the batch's writes are done.
 */
import type { Incident, IncidentEvent } from '../domain/incident';
import { appendAlerts, eventFromAlert, newIncident, type ReceivedAlert } from '../domain/incident-building';
import { canAdvance } from '../domain/incident-projection';
import { heldAlertsJoining, heldEventsSince, routeEvent } from '../domain/incident-routing';
import { eachLimited } from '../concurrency';
import {
  ingestAlert,
  joinHeldAlerts,
  logEntryOf,
  routedEventOf,
  snapshot,
  type IncidentSnapshot,
  type IngestDeps,
  type IngestInput,
  type IngestOutcome,
} from './ingest-alert';
import type { AlertLogMark, AlertLogRecord, IncidentWrite } from './ports';

/** Groups whose remaining alerts ingestAlert applies at once; a group's own alerts go one after the other. */
const GROUPS_IN_FLIGHT = 8;

/** Each input's outcome, in input order; an input that failed has its error (the job retries those). */
export type BatchResult = { outcome: IngestOutcome } | { error: unknown };

/** One alert the batch applied in memory: the incident before and after it, as ingestAlert would report. */
interface Step {
  index: number;
  before: IncidentSnapshot | null;
  incident: Incident;
  opened: boolean;
}

/** A group's alerts as the batch decides them. */
interface GroupPlan {
  groupKey: string;
  start: Incident | null;
  steps: Step[];
  /** Held alerts that joined the incident the batch opens. */
  joined: ReceivedAlert[];
  /** Inputs left to ingestAlert, in order, after the batch's write. */
  rest: number[];
  /**
   * Whether held alerts may join once the write is done: the batch opened the incident, or joined a resolved
   * one (which may reopen it or move its resolution, and so its reopen window).
   */
  recheckHeld: boolean;
}

export async function ingestAlertBatch(
  deps: IngestDeps,
  inputs: readonly IngestInput[],
): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = inputs.map(() => undefined);
  const failAll = (indexes: readonly number[], error: unknown) => {
    for (const i of indexes) results[i] = { error };
  };
  const all = inputs.map((_, i) => i);
  let previous;
  try {
    previous = await deps.alertLog.recordMany(inputs.map(logEntryOf));
  } catch (error) {
    failAll(all, error);
    return results as BatchResult[];
  }

  // New alerts are decided here; a redelivery (its record existed, or it came twice in this batch) goes the
  // careful way, in its group's order. New test notifications are only recorded.
  const marks: AlertLogMark[] = [];
  const byGroup = new Map<string, number[]>();
  const redelivered = new Set<number>();
  inputs.forEach(({ alert }, i) => {
    if (previous[i] !== null) redelivered.add(i);
    else if (alert.isTest) {
      marks.push({ alert, status: 'test' });
      results[i] = { outcome: { kind: 'test' } };
      return;
    }
    const group = byGroup.get(alert.groupKey);
    if (group) group.push(i);
    else byGroup.set(alert.groupKey, [i]);
  });

  let plans: GroupPlan[] = [];
  try {
    const planned = await planGroups(deps, inputs, byGroup, redelivered);
    plans = planned.plans;
    const lost = await deps.incidents.saveBatch(plans.flatMap(writeOf));
    for (const plan of plans) {
      const incident = plan.steps[plan.steps.length - 1]?.incident;
      if (incident === undefined || !lost.has(incident.id)) continue;
      // Lost its race: every alert of the group is decided again, alone, in order.
      plan.rest = [...plan.steps.map((s) => s.index), ...plan.rest];
      plan.steps = [];
      plan.joined = [];
      plan.recheckHeld = false;
    }
    for (const plan of plans) {
      const incident = plan.steps[plan.steps.length - 1]?.incident;
      if (incident === undefined) continue;
      for (const step of plan.steps)
        marks.push({ alert: inputs[step.index]!.alert, status: 'applied', incidentId: incident.id });
      for (const held of plan.joined)
        marks.push({ alert: held.alert, status: 'applied', incidentId: incident.id });
    }
    await deps.alertLog.settle(marks);
    await joinHeldAlertsOf(deps, inputs, plans, planned.seenHeld);
  } catch (error) {
    // The batch's writes may or may not have happened: all its alerts are retried (test notifications too:
    // their mark may not be written), and the log's records and the incidents' events make a second
    // application a duplicate.
    failAll(all, error);
    return results as BatchResult[];
  }

  for (const plan of plans) {
    for (const step of plan.steps) {
      results[step.index] = {
        outcome: {
          kind: 'applied',
          incidentId: step.incident.id,
          opened: step.opened,
          before: step.before,
          after: snapshot(step.incident),
          incident: step.incident,
        },
      };
    }
  }
  return finishCarefully(
    deps,
    inputs,
    results,
    plans.map((p) => p.rest).filter((r) => r.length > 0),
  );
}

/** Runs ingestAlert over each sequence in order (sequences side by side); fills in their results. */
async function finishCarefully(
  deps: IngestDeps,
  inputs: readonly IngestInput[],
  results: (BatchResult | undefined)[],
  sequences: number[][],
): Promise<BatchResult[]> {
  await eachLimited(sequences, GROUPS_IN_FLIGHT, async (sequence) => {
    for (const i of sequence) {
      try {
        results[i] = { outcome: await ingestAlert(deps, inputs[i]!) };
      } catch (error) {
        results[i] = { error };
      }
    }
  });
  return results.map((r) => r ?? { error: new Error('not ingested') });
}

/**
 * Decides each group's alerts in memory, from one read of the groups' current incidents and one of their held
 * alerts. Held alerts join where ingestAlert would have them join: when an incident opens (before and after
 * its write), and when a resolved one takes a late alert.
 */
async function planGroups(
  deps: IngestDeps,
  inputs: readonly IngestInput[],
  byGroup: ReadonlyMap<string, number[]>,
  redelivered: ReadonlySet<number>,
): Promise<{ plans: GroupPlan[]; seenHeld: Set<string> }> {
  const seenHeld = new Set<string>();
  if (byGroup.size === 0) return { plans: [], seenHeld };
  const currents = await deps.incidents.findCurrentMany([...byGroup.keys()]);
  // Held alerts can only join an incident that opens or was resolved: those groups' are read (from the reopen
  // window ahead of the earliest time any of their incidents may be detected at), no others'.
  // A group's one new alert with no incident to go to is not among them: if it opens one, the held alerts that
  // join it are those joinHeldAlertsOf reads once it is written, as ingestAlert's joinHeldAlerts would take
  // them (the same ones, in the same rounds), so a lone trigger costs no read before.
  const mayJoin = [...byGroup.entries()].filter(([key, indexes]) => {
    const current = currents.get(key);
    if (current === undefined) return indexes.length > 1 || redelivered.has(indexes[0]!);
    return current.status !== 'open';
  });
  const earliest = mayJoin.flatMap(([key, indexes]) => [
    ...(currents.has(key) ? [currents.get(key)!.detectedAt] : []),
    ...indexes.map((i) => new Date(inputs[i]!.alert.at)),
  ]);
  const held = await heldOfGroups(
    deps,
    mayJoin.map(([key]) => key),
    earliest,
  );
  const heldRead = new Set(mayJoin.map(([key]) => key));
  for (const list of held.values()) for (const h of list) seenHeld.add(heldId(h));
  const now = deps.now();
  const plans = [...byGroup.entries()].map(([groupKey, indexes]) => {
    const start = currents.get(groupKey) ?? null;
    const plan: GroupPlan = { groupKey, start, steps: [], joined: [], rest: [], recheckHeld: false };
    let waiting = held.get(groupKey) ?? [];
    /** ingestAlert's joinHeldAlerts, in memory: rounds until no held alert joins (a version each round). */
    const joinHeld = (incident: Incident): Incident => {
      for (let grown = incident; ;) {
        const taken = heldAlertsJoining(grown, waiting, deps.rules);
        const { next, added } = appendAlerts(grown, taken, deps.rules, now);
        if (added.length === 0) return grown;
        plan.joined.push(...taken);
        waiting = waiting.filter((h) => !taken.includes(h));
        grown = next;
      }
    };
    let incident = start;
    for (const [n, index] of indexes.entries()) {
      const input = inputs[index]!;
      const received: ReceivedAlert = { alert: input.alert, receivedAt: input.receivedAt };
      const routing = redelivered.has(index)
        ? null
        : routeEvent(incident, routedEventOf(input.alert), deps.rules);
      if (routing === null) {
        // A redelivery: ingestAlert settles what became of its first delivery.
      } else if (
        routing.action === 'append' &&
        (routing.incident.status === 'open' || heldRead.has(groupKey))
      ) {
        // (A group whose incident was open when read, and resolved within this batch, has no held alerts read:
        // a late alert to it is ingestAlert's.)
        const { next, added } = appendedHere(routing.incident, received, deps.rules, now) ?? {
          next: routing.incident,
          added: [],
        };
        if (added.length > 0) {
          // Joining a resolved incident may reopen it or move its resolution, and so its reopen window.
          const after = routing.incident.status === 'resolved' ? joinHeld(next) : next;
          if (routing.incident.status === 'resolved') plan.recheckHeld = true;
          plan.steps.push({ index, before: snapshot(routing.incident), incident: after, opened: false });
          incident = after;
          continue;
        }
      } else if (routing.action === 'open' && routing.retire === null && incident === null) {
        const id = deps.newIncidentId();
        const base = newIncident(id, groupKey, [received], deps.rules, now);
        const joining = heldAlertsJoining(base, waiting, deps.rules);
        plan.joined.push(...joining);
        waiting = waiting.filter((h) => !joining.includes(h));
        // As ingestAlert: the held alerts it takes, then the ones those make it take (its read after the write).
        incident = joinHeld(newIncident(id, groupKey, [received, ...joining], deps.rules, now));
        plan.steps.push({ index, before: null, incident, opened: true });
        plan.recheckHeld = true;
        continue;
      }
      // Anything else (hold, duplicate, retire and open) is ingestAlert's, from here on.
      plan.rest = indexes.slice(n);
      break;
    }
    return plan;
  });
  return { plans, seenHeld };
}

function heldId(held: ReceivedAlert): string {
  return `${held.alert.source}|${held.alert.eventId}`;
}

/**
 * The incident with the alert appended, when the batch may decide it from the incident as read; null when that
 * is ingestAlert's. An incident read without its filed events (an open one of many: IncidentStore.
 * findCurrentMany) takes here only an alert later than its last event that leaves it open, decided from its
 * projection alone; anything else of it (a late event; a resolution, whose draft needs the whole incident) is
 * left to ingestAlert, which reads it whole.
 */
function appendedHere(
  incident: Incident,
  received: ReceivedAlert,
  rules: IngestDeps['rules'],
  now: Date,
): { next: Incident; added: IncidentEvent[] } | null {
  const unread = (incident.unreadEventCount ?? 0) > 0;
  if (unread && !canAdvance(incident, [eventFromAlert(received)])) return null;
  const appended = appendAlerts(incident, [received], rules, now);
  return unread && appended.next.status !== 'open' ? null : appended;
}

/** The write a group's plan makes: its new incident, or its change from the version it was read at. */
function writeOf(plan: GroupPlan): IncidentWrite[] {
  const last = plan.steps[plan.steps.length - 1];
  if (last === undefined) return [];
  if (plan.start === null) return [{ kind: 'insert', incident: last.incident }];
  const added: IncidentEvent[] = last.incident.events.slice(plan.start.events.length);
  return [{ kind: 'change', next: last.incident, added, fromVersion: plan.start.version }];
}

/**
 * Held alerts are read once more for the incidents the batch opened or joined when resolved, as ingestAlert
 * does after its write: an alert held by another worker while this batch was deciding was not in the first
 * read, and that worker may have looked for an incident too early. One read for them all; a group with such
 * an alert is joined by ingestAlert's own careful join.
 */
async function joinHeldAlertsOf(
  deps: IngestDeps,
  inputs: readonly IngestInput[],
  plans: GroupPlan[],
  seenHeld: ReadonlySet<string>,
): Promise<void> {
  const rechecked = plans.filter((p) => p.recheckHeld && p.steps.length > 0);
  if (rechecked.length === 0) return;
  const held = await heldOfGroups(
    deps,
    rechecked.map((p) => p.groupKey),
    rechecked.map((p) => p.steps[p.steps.length - 1]!.incident.detectedAt),
  );
  for (const plan of rechecked) {
    const last = plan.steps[plan.steps.length - 1]!;
    const fresh = (held.get(plan.groupKey) ?? []).filter((h) => !seenHeld.has(heldId(h)));
    if (heldAlertsJoining(last.incident, fresh, deps.rules).length === 0) continue;
    last.incident = await joinHeldAlerts(deps, last.incident, inputs[last.index]!.alert);
  }
}

/** The held alerts of these groups, by group, each from the reopen window ahead of its time. */
async function heldOfGroups(
  deps: IngestDeps,
  groupKeys: readonly string[],
  times: readonly Date[],
): Promise<Map<string, ReceivedAlert[]>> {
  const byGroup = new Map<string, ReceivedAlert[]>();
  if (groupKeys.length === 0) return byGroup;
  const since = new Date(Math.min(...times.map((t) => heldEventsSince(t, deps.rules).getTime())));
  const records: AlertLogRecord[] = await deps.alertLog.findHeldMany(groupKeys, since);
  for (const record of records) {
    const list = byGroup.get(record.groupKey) ?? [];
    list.push({ alert: record.alert, receivedAt: record.receivedAt });
    byGroup.set(record.groupKey, list);
  }
  return byGroup;
}
