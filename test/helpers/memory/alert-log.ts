/**
 * AlertLog in memory, with the contract of AlertLogRepository: one record per `source|eventId` (a redelivery
 * is the same record and learns what became of the first), held only while nothing applied it, held alerts
 * read oldest first in batches of at most 1000.
 */
import type { Alert } from '../../../src/domain/alert';
import type { AlertLog, AlertLogMark, AlertLogRecord, AlertLogStatus } from '../../../src/use-cases/ports';
import { copy, Races } from './races';

export const HELD_BATCH_LIMIT = 1000;
export const TEST_NOTE = 'test notification: recorded, opens no incident';

type Write = 'record' | 'recordMany' | 'markApplied' | 'markTest' | 'markHeld' | 'settle';
type AlertId = Pick<Alert, 'source' | 'eventId'>;

function logId(alert: AlertId): string {
  return `${alert.source}|${alert.eventId}`;
}

export class MemoryAlertLog extends Races<Write> implements AlertLog {
  private readonly records = new Map<string, AlertLogRecord>();

  async record(
    entry: Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>,
  ): Promise<AlertLogStatus | null> {
    await this.enter('record');
    const id = logId(entry.alert);
    const existing = this.records.get(id);
    if (existing !== undefined) return existing.status;
    this.records.set(id, { ...copy(entry), status: 'received', incidentId: null, note: null });
    return null;
  }

  async recordMany(
    entries: readonly Omit<AlertLogRecord, 'status' | 'incidentId' | 'note'>[],
  ): Promise<(AlertLogStatus | null)[]> {
    await this.enter('recordMany');
    return entries.map((entry) => {
      const id = logId(entry.alert);
      const existing = this.records.get(id);
      if (existing !== undefined) return existing.status;
      this.records.set(id, { ...copy(entry), status: 'received', incidentId: null, note: null });
      return null;
    });
  }

  async findHeldMany(groupKeys: readonly string[], since: Date): Promise<AlertLogRecord[]> {
    const keys = new Set(groupKeys);
    return [...this.records.values()]
      .filter((r) => keys.has(r.groupKey) && r.status === 'held' && r.at.getTime() >= since.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, HELD_BATCH_LIMIT)
      .map((r) => copy(r));
  }

  async settle(marks: readonly AlertLogMark[]): Promise<void> {
    await this.enter('settle');
    for (const mark of marks) {
      if (mark.status === 'applied')
        this.update(mark.alert, { status: 'applied', incidentId: mark.incidentId, note: null });
      else if (mark.status === 'test') this.update(mark.alert, { status: 'test', note: TEST_NOTE });
      else {
        const status = this.records.get(logId(mark.alert))?.status;
        if (status === 'received' || status === 'held')
          this.update(mark.alert, { status: 'held', note: mark.reason });
      }
    }
  }

  async markApplied(alerts: readonly AlertId[], incidentId: string): Promise<void> {
    await this.enter('markApplied');
    for (const alert of alerts) this.update(alert, { status: 'applied', incidentId, note: null });
  }

  async markTest(alert: AlertId): Promise<void> {
    await this.enter('markTest');
    this.update(alert, { status: 'test', note: TEST_NOTE });
  }

  async markHeld(alert: AlertId, reason: string): Promise<void> {
    await this.enter('markHeld');
    const status = this.records.get(logId(alert))?.status;
    if (status === 'received' || status === 'held') this.update(alert, { status: 'held', note: reason });
  }

  async findHeld(groupKey: string, since: Date): Promise<AlertLogRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.groupKey === groupKey && r.status === 'held' && r.at.getTime() >= since.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, HELD_BATCH_LIMIT)
      .map((r) => copy(r));
  }

  /** For assertions: the record of an alert, or null. */
  get(alert: AlertId): AlertLogRecord | null {
    const found = this.records.get(logId(alert));
    return found ? copy(found) : null;
  }

  /** For assertions: the status of each alert's record (null where there is none). */
  statusesOf(alerts: readonly AlertId[]): (AlertLogStatus | null)[] {
    return alerts.map((a) => this.records.get(logId(a))?.status ?? null);
  }

  /** An update by _id without upsert: a record that is not there stays not there. */
  private update(alert: AlertId, fields: Partial<AlertLogRecord>): void {
    const id = logId(alert);
    const existing = this.records.get(id);
    if (existing !== undefined) this.records.set(id, { ...existing, ...fields });
  }
}
