import type { AlertLogRecord } from '../use-cases/ports';
import type { FailedAlertBatch } from '../queue/failed-alerts';

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

export function presentFailedAlertBatch(batch: FailedAlertBatch) {
  return {
    jobId: batch.jobId,
    failedAt: batch.failedAt?.toISOString() ?? null,
    attempts: batch.attempts,
    reason: batch.reason,
    alertCount: batch.alertCount,
    alerts: batch.alerts,
  };
}
