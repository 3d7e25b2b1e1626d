import { trusted, type AnyBulkWriteOperation } from 'mongoose';
import type { Alert } from '../domain/alert';
import { ValidationError } from '../errors';
import { ALERT_BOUNDS } from '../payloads/alert-bounds';
import type {
  AlertLog,
  AlertLogMark,
  AlertLogQueries,
  AlertLogQuery,
  AlertLogRecord,
  AlertLogStatus,
} from '../use-cases/ports';
import type { AlertLogDoc, AlertLogModel } from './alert-log.model';
import { insertOrKnown } from './connection';
import { anyOf, slices } from './in-chunks';

const HELD_BATCH_LIMIT = 1000;
/** A page of the alert log holds at most this many characters of payloads (it always holds one record). */
export const ALERT_LOG_PAGE_CHARS = 4_000_000;
const ALERT_LOG_READ_CHUNK = 20;

function recordChars(doc: AlertLogDoc): number {
  return doc.raw.length + doc.alertJson.length;
}

export function logId(alert: Pick<Alert, 'source' | 'eventId'>): string {
  return `${alert.source}|${alert.eventId}`;
}

/** The alert log's document for a new record (without _id, which is logId). Exported for the bench's ceiling. */
export function alertLogDocument(entry: Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>) {
  return {
    source: entry.source,
    eventId: entry.eventId,
    groupKey: entry.groupKey,
    alertKey: entry.alertKey,
    at: entry.at,
    receivedAt: entry.receivedAt,
    contentType: entry.contentType,
    raw: entry.raw,
    alertJson: JSON.stringify(entry.alert),
    status: 'received' as const,
    incidentId: null,
    note: null,
    updatedAt: entry.receivedAt,
  };
}

/** The update that marks records applied to an incident. */
export function appliedUpdate(incidentId: string, now: Date) {
  return { $set: { status: 'applied' as const, incidentId, note: null, updatedAt: now } };
}

function testUpdate(now: Date) {
  return { status: 'test' as const, note: 'test notification: recorded, opens no incident', updatedAt: now };
}

export class AlertLogRepository implements AlertLog, AlertLogQueries {
  constructor(private readonly log: AlertLogModel) {}

  async record(
    entry: Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>,
  ): Promise<AlertLogStatus | null> {
    const id = logId(entry.alert);
    const result = await this.log.updateOne(
      { _id: id },
      { $setOnInsert: alertLogDocument(entry) },
      { upsert: true },
    );
    if (result.upsertedCount === 1) return null;
    // A redelivery: what became of the first delivery decides what this one does.
    const existing = await this.log.findById(id, { status: 1 }).lean<Pick<AlertLogDoc, 'status'>>();
    return existing?.status ?? 'received';
  }

  async recordMany(
    entries: readonly Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>[],
  ): Promise<(AlertLogStatus | null)[]> {
    if (entries.length === 0) return [];
    const ids = entries.map((entry) => logId(entry.alert));
    const docs = entries.map((entry, i) => ({ _id: ids[i]!, ...alertLogDocument(entry) }));
    // One insert for all; a record that exists already (a redelivery, or the same alert twice in a batch) is a
    // duplicate-key error of its own, which leaves the others inserted.
    const existing = await insertOrKnown(this.log.collection, docs, 'alert log');
    const statuses: (AlertLogStatus | null)[] = entries.map(() => null);
    if (existing.size === 0) return statuses;
    const found = await this.log
      .find({ _id: anyOf([...new Set([...existing].map((i) => ids[i]!))]) }, { status: 1 })
      .lean<Pick<AlertLogDoc, '_id' | 'status'>[]>();
    const statusOf = new Map(found.map((doc) => [doc._id, doc.status]));
    // The first copy of an alert inserted in this very write counts as received, as a redelivery would find it.
    for (const index of existing) statuses[index] = statusOf.get(ids[index]!) ?? 'received';
    return statuses;
  }

  async findHeldMany(groupKeys: readonly string[], since: Date): Promise<AlertLogRecord[]> {
    if (groupKeys.length === 0) return [];
    const docs = await this.log
      .find({ groupKey: anyOf(groupKeys), status: 'held', at: trusted({ $gte: since }) })
      .sort({ at: 1 })
      .limit(HELD_BATCH_LIMIT)
      .lean<AlertLogDoc[]>();
    return docs.map(toRecord);
  }

  async settle(marks: readonly AlertLogMark[]): Promise<void> {
    if (marks.length === 0) return;
    const now = new Date();
    const ops = marks.map((mark): AnyBulkWriteOperation<AlertLogDoc> => {
      const _id = logId(mark.alert);
      switch (mark.status) {
        case 'applied':
          return { updateOne: { filter: { _id }, update: appliedUpdate(mark.incidentId, now) } };
        case 'held':
          return {
            updateOne: {
              filter: { _id, status: trusted({ $in: ['received', 'held'] }) },
              update: { $set: { status: 'held' as const, note: mark.reason, updatedAt: now } },
            },
          };
        case 'test':
          return { updateOne: { filter: { _id }, update: { $set: testUpdate(now) } } };
      }
    });
    for (const slice of slices(ops)) await this.log.bulkWrite(slice, { ordered: false });
  }

  async markApplied(alerts: readonly Pick<Alert, 'source' | 'eventId'>[], incidentId: string): Promise<void> {
    if (alerts.length === 0) return;
    // One update by _id each, not one updateMany with $in: FerretDB serves `_id` equality from its primary
    // key but scans the whole collection for `$in` (measured: 725 against 34 updates/s); MongoDB does both well.
    const update = appliedUpdate(incidentId, new Date());
    for (const slice of slices(alerts))
      await this.log.bulkWrite(
        slice.map((alert) => ({ updateOne: { filter: { _id: logId(alert) }, update } })),
        { ordered: false },
      );
  }

  async markTest(alert: Pick<Alert, 'source' | 'eventId'>): Promise<void> {
    await this.log.updateOne({ _id: logId(alert) }, { $set: testUpdate(new Date()) });
  }

  async markHeld(alert: Pick<Alert, 'source' | 'eventId'>, reason: string): Promise<void> {
    await this.log.updateOne(
      { _id: logId(alert), status: trusted({ $in: ['received', 'held'] }) },
      { $set: { status: 'held', note: reason, updatedAt: new Date() } },
    );
  }

  async findHeld(groupKey: string, since: Date): Promise<AlertLogRecord[]> {
    const plan = heldAlertsPlan(groupKey, since);
    const docs = await this.log
      .find(plan.filter)
      .sort(plan.sort)
      .limit(HELD_BATCH_LIMIT)
      .lean<AlertLogDoc[]>();
    return docs.map(toRecord);
  }

  async list(query: AlertLogQuery): Promise<{ items: AlertLogRecord[]; nextCursor: string | null }> {
    // Read in small chunks, and stop once the page holds ALERT_LOG_PAGE_CHARS of payloads: a record keeps its
    // body whole (up to BODY_LIMIT_BYTES), so 200 of them could be 200 MB in memory and on the wire.
    const page: AlertLogDoc[] = [];
    let chars = 0;
    let cursor = query.cursor;
    let more = false;
    let full = false;
    while (!full && page.length < query.limit) {
      const plan = alertLogListPlan({ ...query, cursor });
      const wanted = Math.min(query.limit - page.length, ALERT_LOG_READ_CHUNK);
      const docs = await this.log
        .find(plan.filter)
        .sort(plan.sort)
        .limit(wanted + 1)
        .lean<AlertLogDoc[]>();
      more = docs.length > wanted;
      for (const doc of docs.slice(0, wanted)) {
        if (page.length > 0 && chars + recordChars(doc) > ALERT_LOG_PAGE_CHARS) {
          more = full = true;
          break;
        }
        page.push(doc);
        chars += recordChars(doc);
      }
      const last = page[page.length - 1];
      if (!more || last === undefined) break;
      cursor = encodeCursor(last.receivedAt, last._id);
    }
    const last = page[page.length - 1];
    return {
      items: page.map(toRecord),
      nextCursor: more && last ? encodeCursor(last.receivedAt, last._id) : null,
    };
  }
}

/** The filter and sort of findHeld (a group's held alerts since a time); exported for the index test. */
export function heldAlertsPlan(
  groupKey: string,
  since: Date,
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  return { filter: { groupKey, status: 'held', at: trusted({ $gte: since }) }, sort: { at: 1 } };
}

/** The filter and sort of an alert-log listing; exported so a test can check an index serves each. */
export function alertLogListPlan(query: AlertLogQuery): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  const filter: Record<string, unknown> = {};
  if (query.status !== undefined) filter.status = query.status;
  if (query.incidentId !== undefined) filter.incidentId = query.incidentId;
  if (query.cursor !== undefined) {
    const { receivedAt, id } = decodeCursor(query.cursor);
    filter.$or = [{ receivedAt: trusted({ $lt: receivedAt }) }, { receivedAt, _id: trusted({ $lt: id }) }];
  }
  return { filter, sort: { receivedAt: -1, _id: -1 } };
}

function encodeCursor(receivedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([receivedAt.getTime(), id])).toString('base64url');
}

/** The longest id a record has (logId: a source, `|`, an event id). */
const MAX_CURSOR_ID = ALERT_BOUNDS.source + 1 + ALERT_BOUNDS.key;
/** Past the longest cursor encodeCursor makes: JSON escapes a character in 6 bytes at most, base64 takes 8 for 6. */
const MAX_CURSOR_LENGTH = 8 * MAX_CURSOR_ID + 64;
/** The furthest a Date reaches either side of 1970 (ECMAScript's time range). */
const MAX_TIME_MS = 8.64e15;

/**
 * The position a cursor names. Anything encodeCursor did not make (too long, not JSON, a time that is no Date,
 * an id no record can have) is a ValidationError naming `cursor`, a 400, before the database sees it.
 */
export function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const value = cursor.length <= MAX_CURSOR_LENGTH ? parsedCursor(cursor) : null;
  if (Array.isArray(value) && value.length === 2) {
    const [ms, id] = value as unknown[];
    if (
      typeof ms === 'number' &&
      Number.isInteger(ms) &&
      Math.abs(ms) <= MAX_TIME_MS &&
      typeof id === 'string' &&
      id.length > 0 &&
      id.length <= MAX_CURSOR_ID &&
      !id.includes('\u0000')
    )
      return { receivedAt: new Date(ms), id };
  }
  throw new ValidationError('cursor', 'is not a cursor this API returned');
}

function parsedCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function toRecord(doc: AlertLogDoc): AlertLogRecord {
  return {
    source: doc.source,
    eventId: doc.eventId,
    groupKey: doc.groupKey,
    alertKey: doc.alertKey,
    at: doc.at,
    receivedAt: doc.receivedAt,
    contentType: doc.contentType,
    raw: doc.raw,
    alert: JSON.parse(doc.alertJson) as Alert,
    status: doc.status,
    // FerretDB leaves out null fields set by an upsert's $setOnInsert (MongoDB keeps them).
    incidentId: doc.incidentId ?? null,
    note: doc.note ?? null,
  };
}
