/**
 * IncidentStore in memory, with the contract of IncidentRepository: the unique currentKey (the group key while
 * an incident is its group's current one, `groupKey#id` once retired), the version guard on every change,
 * events only ever pushed, and ObjectId ids (a mongoose repository throws on any other id, or finds nothing).
 */
import type { Incident, IncidentEvent } from '../../../src/domain/incident';
import type { IncidentListQuery, IncidentStore, IncidentWrite } from '../../../src/use-cases/ports';
import { copy, Races } from './races';

/**
 * The fields saveChange sets: all but identity (id, groupKey, createdAt) and events. The repository's $set
 * (incidentChange) has the same but the timeline, which it derives from the events when it reads an incident.
 */
export const INCIDENT_STATE_FIELDS = [
  'title',
  'source',
  'status',
  'severity',
  'services',
  'hosts',
  'monitors',
  'detectedAt',
  'resolvedAt',
  'durationSeconds',
  'resolutionCount',
  'alerts',
  'alertCount',
  'firingAlerts',
  'lastEvent',
  'timeline',
  'notes',
  'acknowledgements',
  'version',
  'updatedAt',
] as const satisfies readonly (keyof Incident)[];

/** What Types.ObjectId#toHexString gives: the only ids a stored incident has. */
const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Deterministic ObjectId hex strings: objectId(1) is `000…001`; larger numbers sort later, as ObjectIds do. */
export function objectId(n: number): string {
  return n.toString(16).padStart(24, '0');
}

/** An id generator for IngestDeps.newIncidentId: objectId(1), objectId(2), ... */
export function objectIds(): () => string {
  let n = 0;
  return () => objectId((n += 1));
}

function requireObjectId(id: string): void {
  if (!OBJECT_ID.test(id)) throw new Error(`${id} is not an ObjectId (new Types.ObjectId would throw)`);
}

interface Stored {
  incident: Incident;
  currentKey: string;
}

type Write = 'insertCurrent' | 'saveChange' | 'retire' | 'saveBatch';

export class MemoryIncidentStore
  extends Races<Write, 'saveChange' | 'retire' | 'saveBatch'>
  implements IncidentStore
{
  private readonly docs = new Map<string, Stored>();
  /** Guarded writes that lost: a conflicting insert, a change or retirement at a stale version. */
  lostWrites = 0;

  async findCurrent(groupKey: string): Promise<Incident | null> {
    const found = [...this.docs.values()].find((d) => d.currentKey === groupKey);
    return found ? copy(found.incident) : null;
  }

  async insertCurrent(incident: Incident): Promise<'inserted' | 'conflict'> {
    await this.enter('insertCurrent');
    requireObjectId(incident.id);
    const taken = [...this.docs.values()].some((d) => d.currentKey === incident.groupKey);
    if (taken || this.docs.has(incident.id)) {
      this.lostWrites += 1;
      return 'conflict';
    }
    this.docs.set(incident.id, { incident: copy(incident), currentKey: incident.groupKey });
    return 'inserted';
  }

  async saveChange(next: Incident, added: IncidentEvent[]): Promise<boolean> {
    const lose = await this.enter('saveChange');
    requireObjectId(next.id);
    if (lose) this.anotherWriterChanges(next.id);
    const stored = this.docs.get(next.id);
    if (stored === undefined || stored.incident.version !== next.version - 1) {
      this.lostWrites += 1;
      return false;
    }
    const state = Object.fromEntries(INCIDENT_STATE_FIELDS.map((f) => [f, copy(next[f])]));
    stored.incident = {
      ...stored.incident,
      ...state,
      events: [...stored.incident.events, ...copy(added)],
    };
    return true;
  }

  async findCurrentMany(groupKeys: readonly string[]): Promise<Map<string, Incident>> {
    const keys = new Set(groupKeys);
    return new Map(
      [...this.docs.values()]
        .filter((d) => keys.has(d.currentKey))
        .map((d) => [d.incident.groupKey, copy(d.incident)] as const),
    );
  }

  /** Each write on its own terms, as the repository's unordered bulk write applies them. */
  async saveBatch(writes: readonly IncidentWrite[]): Promise<Set<string>> {
    const lose = await this.enter('saveBatch');
    const lost = new Set<string>();
    for (const write of writes) {
      if (write.kind === 'insert') {
        const { incident } = write;
        requireObjectId(incident.id);
        const taken = [...this.docs.values()].some((d) => d.currentKey === incident.groupKey);
        if (taken || this.docs.has(incident.id)) {
          this.lostWrites += 1;
          lost.add(incident.id);
        } else this.docs.set(incident.id, { incident: copy(incident), currentKey: incident.groupKey });
        continue;
      }
      const { next, added, fromVersion } = write;
      requireObjectId(next.id);
      if (lose) this.anotherWriterChanges(next.id);
      const stored = this.docs.get(next.id);
      if (stored === undefined || stored.incident.version !== fromVersion) {
        this.lostWrites += 1;
        lost.add(next.id);
        continue;
      }
      const state = Object.fromEntries(INCIDENT_STATE_FIELDS.map((f) => [f, copy(next[f])]));
      stored.incident = { ...stored.incident, ...state, events: [...stored.incident.events, ...copy(added)] };
    }
    return lost;
  }

  async retire(incident: Incident): Promise<boolean> {
    const lose = await this.enter('retire');
    requireObjectId(incident.id);
    if (lose) this.anotherWriterChanges(incident.id);
    const stored = this.docs.get(incident.id);
    if (stored === undefined || stored.incident.version !== incident.version) {
      this.lostWrites += 1;
      return false;
    }
    stored.currentKey = `${incident.groupKey}#${incident.id}`;
    stored.incident = { ...stored.incident, version: incident.version + 1 };
    return true;
  }

  async findById(id: string): Promise<Incident | null> {
    const found = OBJECT_ID.test(id) ? this.docs.get(id) : undefined;
    return found ? copy(found.incident) : null;
  }

  /** Newest id first, without events and timeline (the repository leaves them out of lists). */
  async list(query: IncidentListQuery): Promise<{ items: Incident[]; nextCursor: string | null }> {
    const { cursor } = query;
    if (cursor !== undefined) requireObjectId(cursor);
    const matching = [...this.docs.values()]
      .map((d) => d.incident)
      .filter((i) => query.status === undefined || i.status === query.status)
      .filter((i) => query.service === undefined || i.services.includes(query.service))
      .filter((i) => query.source === undefined || i.source === query.source)
      .filter((i) => query.detectedFrom === undefined || i.detectedAt >= query.detectedFrom)
      .filter((i) => query.detectedBefore === undefined || i.detectedAt < query.detectedBefore)
      .filter((i) => cursor === undefined || i.id < cursor)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, query.limit + 1);
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((i) => ({ ...copy(i), events: [], timeline: [] })),
      nextCursor: matching.length > query.limit && last ? last.id : null,
    };
  }

  /** Earliest detection first, then by id; without timeline, alerts and notes, as the repository reads them. */
  async listDetectedBetween(from: Date, to: Date, limit: number): Promise<Incident[]> {
    return [...this.docs.values()]
      .map((d) => d.incident)
      .filter((i) => i.detectedAt.getTime() >= from.getTime() && i.detectedAt.getTime() < to.getTime())
      .sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((i) => ({ ...copy(i), timeline: [], alerts: [], notes: [] }));
  }

  /** For assertions: every stored incident, current or retired, oldest id first. */
  all(): Incident[] {
    return [...this.docs.values()].map((d) => copy(d.incident)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** For assertions: the stored currentKey of an incident (the group key while it is current). */
  currentKeyOf(id: string): string | null {
    return this.docs.get(id)?.currentKey ?? null;
  }

  /** Another worker writes the incident (a version bump, as any write of theirs makes). */
  private anotherWriterChanges(id: string): void {
    const stored = this.docs.get(id);
    if (stored) stored.incident = { ...stored.incident, version: stored.incident.version + 1 };
  }
}
