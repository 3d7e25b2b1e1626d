import type { AlertLogRecord } from '../use-cases/ports';

export function presentAlertLogEntry(record: AlertLogRecord) {
  return {
    source: record.source,
    eventId: record.eventId,
    status: record.status,
    incidentId: record.incidentId,
    note: record.note,
    groupKey: record.groupKey,
    alertKey: record.alertKey,
    at: record.at.toISOString(),
    receivedAt: record.receivedAt.toISOString(),
    contentType: record.contentType,
    alert: record.alert,
    raw: record.raw,
  };
}
