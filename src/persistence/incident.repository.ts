import { trusted, Types } from 'mongoose';
import type { Incident, IncidentEvent } from '../domain/incident';
import { annotateTimeline } from '../domain/incident-building';
import { projectIncident, type ProjectionRules } from '../domain/incident-projection';
import type { IncidentListQuery, IncidentStore, IncidentWrite } from '../use-cases/ports';
import { anyOf, slices } from './in-chunks';
import { duplicateIndexes, insertOrKnown, isDuplicateKeyError } from './connection';
import type { IncidentDoc, IncidentModel, StoredEvent } from './incident.model';
import { filedEventDocument, type IncidentEventDoc, type IncidentEventModel } from './incident-event.model';

/**
 * An incident document holds at most this many events; past it, a change files them in incident_events first
 * (one insert), so a change costs one update however many events the incident has, and one insert more in
 * every fifty or so. At most 50 events of up to about 2.5 KB each (ALERT_BOUNDS) keep the document small.
 */
export const PENDING_EVENT_LIMIT = 50;

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
    alertCount: incident.alertCount,
    ...(incident.firingAlerts === undefined ? {} : { firingAlerts: incident.firingAlerts }),
    ...(incident.lastEvent === undefined ? {} : { lastEvent: incident.lastEvent }),
    eventCount: (incident.unreadEventCount ?? 0) + incident.events.length,
    notes: incident.notes,
    acknowledgements: incident.acknowledgements,
    version: incident.version,
    updatedAt: incident.updatedAt,
  };
}

/**
 * How a change is written: the update of the incident's document, and the events to file in incident_events
 * before it (those its document held when read, when they and the change's own would be too many to keep).
 * Filing first is safe whether the update then wins its race or not: those events were already the incident's.
 */
export function incidentChange(next: Incident, added: readonly IncidentEvent[]) {
  const waiting = next.events.slice(next.filedEventCount ?? 0, next.events.length - added.length);
  if (waiting.length + added.length <= PENDING_EVENT_LIMIT)
    return {
      file: [] as IncidentEvent[],
      update:
        added.length > 0
          ? { $set: stateOf(next), $push: { pendingEvents: { $each: [...added] } } }
          : { $set: stateOf(next) },
    };
  return {
    file: waiting,
    update: { $set: { ...stateOf(next), pendingEvents: [...added] }, $unset: { events: 1, timeline: 1 } },
  };
}

export class IncidentRepository implements IncidentStore {
  constructor(
    private readonly incidents: IncidentModel,
    private readonly filed: IncidentEventModel,
    /** The projection the timeline is derived with when an incident is read. */
    private readonly rules: ProjectionRules,
  ) {}

  static newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async findCurrent(groupKey: string): Promise<Incident | null> {
    const doc = await this.incidents.findOne({ currentKey: groupKey }).lean<IncidentDoc>();
    return doc ? (await this.whole([doc]))[0]! : null;
  }

  async insertCurrent(incident: Incident): Promise<'inserted' | 'conflict'> {
    const { document, file } = currentIncidentDocument(incident);
    await this.file(file);
    try {
      await this.incidents.create(document);
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'conflict';
      throw error;
    }
  }

  async saveChange(next: Incident, added: IncidentEvent[]): Promise<boolean> {
    const { file, update } = incidentChange(next, added);
    await this.file(file.map((event) => ({ incidentId: next.id, event })));
    const result = await this.incidents.updateOne(
      { _id: new Types.ObjectId(next.id), version: next.version - 1 },
      update,
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
    const incidents = await this.whole(docs, { timeline: true, summaryOfOpen: true });
    return new Map(incidents.map((incident) => [incident.groupKey, incident]));
  }

  async saveBatch(writes: readonly IncidentWrite[]): Promise<Set<string>> {
    const lost = new Set<string>();
    // Each change carries an id of its own: when fewer changes matched than were sent, the ones that did are
    // told apart from the ones that lost by reading which id each incident holds.
    const writeId = new Types.ObjectId().toHexString();
    for (const slice of slices(writes)) {
      const toFile: { incidentId: string; event: IncidentEvent }[] = [];
      const ops = slice.map((write) => {
        if (write.kind === 'insert') {
          const { document, file } = currentIncidentDocument(write.incident);
          toFile.push(...file);
          return { insertOne: { document: { ...document, writeId } } };
        }
        const { file, update } = incidentChange(write.next, write.added);
        toFile.push(...file.map((event) => ({ incidentId: write.next.id, event })));
        return {
          updateOne: {
            filter: { _id: new Types.ObjectId(write.next.id), version: write.fromVersion },
            update: { ...update, $set: { ...update.$set, writeId } },
          },
        };
      });
      await this.file(toFile);
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
    return doc ? (await this.whole([doc]))[0]! : null;
  }

  async list(query: IncidentListQuery): Promise<{ items: Incident[]; nextCursor: string | null }> {
    const plan = incidentListPlan(query);
    const docs = await this.incidents
      .find(plan.filter, { events: 0, timeline: 0, pendingEvents: 0 })
      .sort(plan.sort)
      .limit(query.limit + 1)
      .lean<IncidentDoc[]>();
    const page = docs.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((doc) => toIncident(doc, [], 0, [])),
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
    return this.whole(
      docs.map((doc) => ({ ...doc, alerts: [], notes: [] })),
      { timeline: false, summaryOfOpen: false },
    );
  }

  /** Files events in incident_events: each once, however often it is filed. */
  private async file(events: readonly { incidentId: string; event: IncidentEvent }[]): Promise<void> {
    await insertOrKnown(
      this.filed.collection,
      events.map(({ incidentId, event }) => filedEventDocument(incidentId, event)),
      'incident events',
    );
  }

  /**
   * The incidents of these documents with all their events (one read of incident_events for those that filed
   * some there) and the timeline they make. The document is read first: events filed after it are at most
   * ones a later change made, and the change deciding from it then loses its race and reads again.
   *
   * With `summaryOfOpen`, an open incident whose projection can be advanced (Incident.unreadEventCount) is
   * read without its filed events: what deciding a change to it needs, however many it has.
   */
  private async whole(
    docs: readonly IncidentDoc[],
    read: { timeline: boolean; summaryOfOpen: boolean } = { timeline: true, summaryOfOpen: false },
  ): Promise<Incident[]> {
    const kept = docs.map((doc) => uniqueEvents([...(doc.events ?? []), ...(doc.pendingEvents ?? [])]));
    const unread = docs.map((doc, i) =>
      read.summaryOfOpen && isAdvanceable(doc) ? doc.eventCount! - kept[i]!.length : 0,
    );
    const filing = docs
      .filter(
        (doc, i) => unread[i] === 0 && (doc.eventCount === undefined || doc.eventCount > kept[i]!.length),
      )
      .map((doc) => doc._id.toHexString());
    const filed = new Map<string, StoredEvent[]>();
    if (filing.length > 0) {
      const found = await this.filed
        .find({ incidentId: anyOf(filing) }, { _id: 0 })
        // One answer, not one per 101 events (the server still splits an answer over 16 MB).
        .batchSize(FILED_READ_BATCH)
        .lean<IncidentEventDoc[]>();
      for (const { incidentId, ...event } of found) {
        const list = filed.get(incidentId) ?? [];
        list.push(event);
        filed.set(incidentId, list);
      }
    }
    return docs.map((doc, i) => {
      if (unread[i]! > 0)
        return { ...toIncident(doc, kept[i]!.map(toEvent), 0, []), unreadEventCount: unread[i]! };
      const apart = filed.get(doc._id.toHexString()) ?? [];
      const known = new Set(apart.map((e) => e.eventId));
      const events = [...apart, ...kept[i]!.filter((e) => !known.has(e.eventId))].map(toEvent);
      if (!read.timeline || events.length === 0) return toIncident(doc, events, apart.length, []);
      // Projected whole, the incident's firing alerts and last event are as its events say (older documents
      // do not hold them).
      const { timeline, firingAlerts, lastEvent } = projectIncident(events, this.rules);
      return {
        ...toIncident(
          doc,
          events,
          apart.length,
          annotateTimeline(timeline, doc.notes ?? [], doc.acknowledgements ?? []),
        ),
        firingAlerts,
        lastEvent,
      };
    });
  }
}

const FILED_READ_BATCH = 100_000;

/**
 * Whether a document holds what advancing its projection needs, with events filed apart to leave unread: open
 * (a resolved incident is read whole: what a late alert does to it needs its history), of the current layout,
 * every alert listed, its firing alerts and last event kept.
 */
function isAdvanceable(doc: IncidentDoc): boolean {
  const kept = (doc.pendingEvents ?? []).length;
  return (
    doc.status === 'open' &&
    doc.events === undefined &&
    doc.eventCount !== undefined &&
    doc.eventCount > kept &&
    doc.firingAlerts !== undefined &&
    doc.lastEvent !== undefined &&
    doc.lastEvent !== null &&
    doc.alerts.length === (doc.alertCount ?? doc.alerts.length)
  );
}

/**
 * A new current incident's document, and the events to file before it is inserted (all of them, when it opens
 * with more than a document keeps: filed under an id no incident has if its insert then loses, they are never
 * read). Exported, like incidentChange, for the bench's database ceiling.
 */
export function currentIncidentDocument(incident: Incident) {
  const keep = incident.events.length <= PENDING_EVENT_LIMIT;
  return {
    document: {
      _id: new Types.ObjectId(incident.id),
      groupKey: incident.groupKey,
      currentKey: incident.groupKey,
      pendingEvents: keep ? incident.events : [],
      createdAt: incident.createdAt,
      ...stateOf(incident),
    },
    file: keep ? [] : incident.events.map((event) => ({ incidentId: incident.id, event })),
  };
}

function idOf(write: IncidentWrite): string {
  return write.kind === 'insert' ? write.incident.id : write.next.id;
}

function uniqueEvents(events: readonly StoredEvent[]): StoredEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}

function toEvent(e: StoredEvent): IncidentEvent {
  return {
    eventId: e.eventId,
    alertKey: e.alertKey,
    scope: e.scope ?? null,
    transition: e.transition as IncidentEvent['transition'],
    rawTransition: e.rawTransition,
    at: e.at,
    receivedAt: e.receivedAt,
    message: e.message ?? '',
  };
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

function toIncident(
  doc: IncidentDoc,
  events: IncidentEvent[],
  filedEventCount: number,
  timeline: Incident['timeline'],
): Incident {
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
    alertCount: doc.alertCount ?? doc.alerts.length,
    ...(doc.firingAlerts === undefined ? {} : { firingAlerts: doc.firingAlerts }),
    ...(doc.lastEvent === undefined || doc.lastEvent === null
      ? {}
      : {
          lastEvent: {
            at: doc.lastEvent.at,
            receivedAt: doc.lastEvent.receivedAt,
            eventId: doc.lastEvent.eventId,
          },
        }),
    events,
    filedEventCount,
    timeline,
    notes: doc.notes ?? [],
    acknowledgements: doc.acknowledgements ?? [],
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
