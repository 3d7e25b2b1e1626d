import { trusted } from 'mongoose';
import type { Alert } from '../domain/alert';
import type { AlertLog, AlertLogRecord, AlertLogStatus } from '../use-cases/ports';
import type { AlertLogDoc, AlertLogModel } from './alert-log.model';

const HELD_BATCH_LIMIT = 1000;

function logId(alert: Pick<Alert, 'source' | 'eventId'>): string {
  return `${alert.source}|${alert.eventId}`;
}

export class AlertLogRepository implements AlertLog {
  constructor(private readonly log: AlertLogModel) {}

  async record(entry: Omit<AlertLogRecord, 'status' | 'incidentId'>): Promise<AlertLogStatus | null> {
    const id = logId(entry.alert);
    const result = await this.log.updateOne(
      { _id: id },
      {
        $setOnInsert: {
          source: entry.source,
          eventId: entry.eventId,
          groupKey: entry.groupKey,
          alertKey: entry.alertKey,
          at: entry.at,
          receivedAt: entry.receivedAt,
          contentType: entry.contentType,
          raw: entry.raw,
          alertJson: JSON.stringify(entry.alert),
          status: 'received',
          incidentId: null,
          note: null,
          updatedAt: entry.receivedAt,
        },
      },
      { upsert: true },
    );
    if (result.upsertedCount === 1) return null;
    // A redelivery: what became of the first delivery decides what this one does.
    const existing = await this.log.findById(id, { status: 1 }).lean<Pick<AlertLogDoc, 'status'>>();
    return existing?.status ?? 'received';
  }

  async markApplied(alerts: readonly Pick<Alert, 'source' | 'eventId'>[], incidentId: string): Promise<void> {
    await this.log.updateMany(
      { _id: trusted({ $in: alerts.map(logId) }) },
      { $set: { status: 'applied', incidentId, note: null, updatedAt: new Date() } },
    );
  }

  async markTest(alert: Pick<Alert, 'source' | 'eventId'>): Promise<void> {
    await this.log.updateOne(
      { _id: logId(alert) },
      {
        $set: {
          status: 'test',
          note: 'test notification: recorded, opens no incident',
          updatedAt: new Date(),
        },
      },
    );
  }

  async markHeld(alert: Pick<Alert, 'source' | 'eventId'>, reason: string): Promise<void> {
    await this.log.updateOne(
      { _id: logId(alert), status: trusted({ $in: ['received', 'held'] }) },
      { $set: { status: 'held', note: reason, updatedAt: new Date() } },
    );
  }

  async findHeld(groupKey: string, since: Date): Promise<AlertLogRecord[]> {
    const docs = await this.log
      .find({ groupKey, status: 'held', at: trusted({ $gte: since }) })
      .sort({ at: 1 })
      .limit(HELD_BATCH_LIMIT)
      .lean<AlertLogDoc[]>();
    return docs.map(toRecord);
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
    incidentId: doc.incidentId,
  };
}
