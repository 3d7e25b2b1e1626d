import { trusted, Types } from 'mongoose';
import type { Incident, IncidentEvent } from '../domain/incident';
import type { IncidentListQuery, IncidentStore, IncidentWrite } from '../use-cases/ports';
import { anyOf, slices } from './in-chunks';
import { duplicateIndexes, isDuplicateKeyError } from './connection';
import type { IncidentDoc, IncidentModel } from './incident.model';

/** The fields a write derives from the incident's events and facts (everything but identity and events). */
function stateOf(incident: Incident) {
  return {
    title: incident.title,
    source: incident.source,
    status: incident.status,
    severity: incident.severity,
    services: incident.services,
    hosts: incident.hosts,
    monitors: incident.monitors,
    detectedAt: incident.detectedAt,
    resolvedAt: incident.resolvedAt,
    durationSeconds: incident.durationSeconds,
    resolutionCount: incident.resolutionCount,
    alerts: incident.alerts,
    timeline: incident.timeline,
    notes: incident.notes,
    acknowledgements: incident.acknowledgements,
    version: incident.version,
    updatedAt: incident.updatedAt,
  };
}

export class IncidentRepository implements IncidentStore {
  constructor(private readonly incidents: IncidentModel) {}

  static newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async findCurrent(groupKey: string): Promise<Incident | null> {
    const doc = await this.incidents.findOne({ currentKey: groupKey }).lean<IncidentDoc>();
    return doc ? toIncident(doc) : null;
  }

  async insertCurrent(incident: Incident): Promise<'inserted' | 'conflict'> {
    try {
      await this.incidents.create(currentIncidentDocument(incident));
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'conflict';
      throw error;
    }
  }

  async saveChange(next: Incident, added: IncidentEvent[]): Promise<boolean> {
    const result = await this.incidents.updateOne(
      { _id: new Types.ObjectId(next.id), version: next.version - 1 },
      incidentChange(next, added),
    );
    return result.matchedCount === 1;
  }

  async retire(incident: Incident): Promise<boolean> {
    const result = await this.incidents.updateOne(
      { _id: new Types.ObjectId(incident.id), version: incident.version },
      { $set: { currentKey: `${incident.groupKey}#${incident.id}`, version: incident.version + 1 } },
    );
    return result.matchedCount === 1;
  }

  async findCurrentMany(groupKeys: readonly string[]): Promise<Map<string, Incident>> {
    if (groupKeys.length === 0) return new Map();
    const docs = await this.incidents
      .find({ currentKey: anyOf([...new Set(groupKeys)]) })
      .lean<IncidentDoc[]>();
    return new Map(docs.map((doc) => [doc.groupKey, toIncident(doc)]));
  }

  async saveBatch(writes: readonly IncidentWrite[]): Promise<Set<string>> {
    const lost = new Set<string>();
    // Each change carries an id of its own: when fewer changes matched than were sent, the ones that did are
    // told apart from the ones that lost by reading which id each incident holds.
    const writeId = new Types.ObjectId().toHexString();
    for (const slice of slices(writes)) {
      const ops = slice.map((write) =>
        write.kind === 'insert'
          ? { insertOne: { document: { ...currentIncidentDocument(write.incident), writeId } } }
          : {
              updateOne: {
                filter: { _id: new Types.ObjectId(write.next.id), version: write.fromVersion },
                update: batchChange(write.next, write.added, writeId),
              },
            },
      );
      let matched: number;
      try {
        matched = (await this.incidents.bulkWrite(ops, { ordered: false })).matchedCount;
      } catch (error) {
        // Inserts whose group has a current incident already: another worker opened it first.
        for (const index of duplicateIndexes(error)) lost.add(idOf(slice[index]!));
        matched = (error as { result?: { matchedCount?: number } }).result?.matchedCount ?? 0;
      }
      const changes = slice.filter((w) => w.kind === 'change');
      if (matched >= changes.length) continue;
      const found = await this.incidents
        .find({ _id: anyOf(changes.map((c) => new Types.ObjectId(c.next.id))) }, { writeId: 1 })
        .lean<Pick<IncidentDoc, '_id' | 'writeId'>[]>();
      const ours = new Set(found.filter((d) => d.writeId === writeId).map((d) => d._id.toHexString()));
      for (const change of changes) if (!ours.has(change.next.id)) lost.add(change.next.id);
    }
    return lost;
  }

  async findById(id: string): Promise<Incident | null> {
    if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) return null;
    const doc = await this.incidents.findById(new Types.ObjectId(id)).lean<IncidentDoc>();
    return doc ? toIncident(doc) : null;
  }

  async list(query: IncidentListQuery): Promise<{ items: Incident[]; nextCursor: string | null }> {
    const plan = incidentListPlan(query);
    const docs = await this.incidents
      .find(plan.filter, { events: 0, timeline: 0 })
      .sort(plan.sort)
      .limit(query.limit + 1)
      .lean<IncidentDoc[]>();
    const page = docs.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((doc) => toIncident({ ...doc, events: [], timeline: [] })),
      nextCursor: docs.length > query.limit && last ? last._id.toHexString() : null,
    };
  }

  async listDetectedBetween(from: Date, to: Date, limit: number): Promise<Incident[]> {
    const plan = detectedBetweenPlan(from, to);
    const docs = await this.incidents
      .find(plan.filter, { timeline: 0, alerts: 0, notes: 0 })
      .sort(plan.sort)
      .limit(limit)
      .lean<IncidentDoc[]>();
    return docs.map((doc) => toIncident({ ...doc, timeline: [], alerts: [], notes: [] }));
  }
}

/** A new current incident's document. Exported, like incidentChange, for the bench's database ceiling. */
export function currentIncidentDocument(incident: Incident) {
  return {
    _id: new Types.ObjectId(incident.id),
    groupKey: incident.groupKey,
    currentKey: incident.groupKey,
    events: incident.events,
    createdAt: incident.createdAt,
    ...stateOf(incident),
  };
}

function idOf(write: IncidentWrite): string {
  return write.kind === 'insert' ? write.incident.id : write.next.id;
}

/** A change of a batch: incidentChange, and the id of the write that made it (IncidentRepository.saveBatch). */
function batchChange(next: Incident, added: IncidentEvent[], writeId: string) {
  const change = incidentChange(next, added);
  return { ...change, $set: { ...change.$set, writeId } };
}

/** The update that saves a change: the derived state, and the events it added. */
export function incidentChange(next: Incident, added: IncidentEvent[]) {
  return added.length > 0
    ? { $set: stateOf(next), $push: { events: { $each: added } } }
    : { $set: stateOf(next) };
}

/** The filter and sort of a list query; exported so a test can check an index serves each of them. */
export function incidentListPlan(query: IncidentListQuery): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  const filter: Record<string, unknown> = {};
  if (query.status !== undefined) filter.status = query.status;
  if (query.service !== undefined) filter.services = query.service;
  if (query.source !== undefined) filter.source = query.source;
  if (query.detectedFrom !== undefined || query.detectedBefore !== undefined)
    filter.detectedAt = trusted({
      ...(query.detectedFrom === undefined ? {} : { $gte: query.detectedFrom }),
      ...(query.detectedBefore === undefined ? {} : { $lt: query.detectedBefore }),
    });
  if (query.cursor !== undefined) filter._id = trusted({ $lt: new Types.ObjectId(query.cursor) });
  return { filter, sort: { _id: -1 } };
}

/** The filter and sort of listDetectedBetween; exported so a test can check an index serves it. */
export function detectedBetweenPlan(
  from: Date,
  to: Date,
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  return { filter: { detectedAt: trusted({ $gte: from, $lt: to }) }, sort: { detectedAt: 1, _id: 1 } };
}

function toIncident(doc: IncidentDoc): Incident {
  return {
    id: doc._id.toHexString(),
    groupKey: doc.groupKey,
    title: doc.title,
    source: doc.source,
    status: doc.status,
    severity: doc.severity as Incident['severity'],
    services: doc.services,
    hosts: doc.hosts,
    monitors: doc.monitors.map((m) => ({ id: m.id, name: m.name, url: m.url, query: m.query })),
    detectedAt: doc.detectedAt,
    resolvedAt: doc.resolvedAt,
    durationSeconds: doc.durationSeconds,
    resolutionCount: doc.resolutionCount,
    alerts: doc.alerts.map((a) => ({ ...a, status: a.status as Incident['alerts'][number]['status'] })),
    events: (doc.events ?? []).map((e) => ({
      ...e,
      transition: e.transition as IncidentEvent['transition'],
    })),
    timeline: doc.timeline.map((t) => ({ ...t, kind: t.kind as Incident['timeline'][number]['kind'] })),
    notes: doc.notes ?? [],
    acknowledgements: doc.acknowledgements ?? [],
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
