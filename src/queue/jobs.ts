/**
 * The contract between the API and the workers: queue names, job names and their payloads.
 * Redis is a boundary too: workers validate every payload with these schemas before using it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERT_TRANSITIONS, SEVERITIES, type Alert } from '../domain/alert';

export const QUEUES = {
  alerts: 'alerts',
  notifications: 'notifications',
  postmortems: 'postmortems',
  /** Confirmations sources ask for (SNS subscriptions), kept apart so a slow sender never holds up the rest. */
  handshakes: 'handshakes',
  /** Datadog enrichment (monitor, metric, changes): slow or rate-limited answers never hold up the rest. */
  enrichment: 'enrichment',
} as const;

export const JOBS = {
  alertBatch: 'alerts.ingest',
  notificationDeliver: 'notification.deliver',
  postmortemDraft: 'postmortem.draft',
  actionItemsRemind: 'action-items.remind',
  sourceHandshake: 'source.handshake',
  enrichMonitor: 'enrich.monitor',
  enrichMetric: 'enrich.metric',
  enrichChanges: 'enrich.changes',
  exportNotebook: 'enrich.notebook',
} as const;

const nullableString = z.string().nullable();

export const alertSchema = z.object({
  source: z.string().min(1),
  eventId: z.string().min(1),
  groupKey: z.string().min(1),
  alertKey: z.string().min(1),
  scope: nullableString,
  transition: z.enum(ALERT_TRANSITIONS),
  rawTransition: z.string(),
  isTest: z.boolean(),
  at: z.iso.datetime(),
  atOrigin: z.enum(['source', 'received']),
  title: z.string().min(1),
  message: z.string(),
  severity: z.enum(SEVERITIES).nullable(),
  monitor: z.object({ id: nullableString, name: z.string(), url: nullableString, query: nullableString }),
  cycleKey: nullableString,
  services: z.array(z.string()),
  hosts: z.array(z.string()),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
}) satisfies z.ZodType<Alert>;

/** One alert as the API accepted it. */
export const acceptedAlertSchema = z.object({
  alert: alertSchema,
  receivedAt: z.iso.datetime(),
  contentType: z.string(),
  /** The payload as received, so the alert log can keep it for inspection and replay. */
  raw: z.string(),
});
export type AcceptedAlertItem = z.infer<typeof acceptedAlertSchema>;

/**
 * The alerts the API accepted in one turn of its event loop, queued as one job: one Redis round trip and one
 * job's bookkeeping for all of them (measured: 22 against 111 us of CPU per alert, Node and Redis together).
 * Each item is validated on its own, so one malformed item never holds up the others. There is no per-alert
 * job id: a redelivered alert is one more item, and the alert log's _id in the database makes it a duplicate.
 */
export const alertBatchJobSchema = z.object({ alerts: z.array(z.unknown()).min(1) });
export interface AlertBatchJob {
  alerts: AcceptedAlertItem[];
}

/** How many alerts these `alerts` queue jobs carry (each is a batch); tests and the bench count with it. */
export function alertsCarried(jobs: readonly ({ data?: unknown } | undefined)[]): number {
  return jobs.reduce((sum, job) => {
    const alerts = (job?.data as { alerts?: unknown } | undefined)?.alerts;
    return sum + (Array.isArray(alerts) ? alerts.length : 0);
  }, 0);
}

export const notificationDeliverJobSchema = z.object({
  /** The delivery (one message to one target); its document holds the body, the job only points to it. */
  deliveryId: z.string().min(1).max(400),
});
export type NotificationDeliverJob = z.infer<typeof notificationDeliverJobSchema>;

/** A job id from the delivery's id, so scheduling the same delivery again while BullMQ remembers it adds nothing. */
export function notificationJobId(deliveryId: string): string {
  return createHash('sha256').update(`notification|${deliveryId}`).digest('hex').slice(0, 40);
}

export const postmortemDraftJobSchema = z.object({
  incidentId: z.string().regex(/^[0-9a-f]{24}$/),
  /** The resolution this draft is for: a reopened incident that resolves again gets a new job. */
  resolutionCount: z.number().int().min(1),
  /**
   * The incident's version when the job was queued: a later change to the resolved incident (a late alert) gets
   * a new job, which redraws the draft's facts. Absent in jobs queued before it existed.
   */
  incidentVersion: z.number().int().min(0).optional(),
  /** What else changed the draft's facts (`monitor-123`: Datadog described a monitor): a job of its own. */
  cause: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional(),
});
export type PostmortemDraftJob = z.infer<typeof postmortemDraftJobSchema>;

/** One draft job per (incident, resolution, version): a retried alert job cannot queue a second one. */
export function postmortemDraftJobId(job: PostmortemDraftJob): string {
  const version = job.incidentVersion === undefined ? '' : `-v${job.incidentVersion}`;
  const cause = job.cause === undefined ? '' : `-${job.cause}`;
  return `draft-${job.incidentId}-${job.resolutionCount}${version}${cause}`;
}

/** The job scheduler's id for the daily overdue-action-items reminder. */
export const ACTION_ITEMS_REMINDER_SCHEDULER = 'action-items-daily-reminder';

/** A confirmation a source asked for (SourceHandshake): the worker visits the URL, after checking it again. */
export const sourceHandshakeJobSchema = z.object({
  source: z.string().min(1).max(100),
  url: z.string().min(1).max(4096),
  /** What it confirms, for the log (URL-free: a SubscribeURL carries its token). */
  what: z.string().max(1000),
});
export type SourceHandshakeJob = z.infer<typeof sourceHandshakeJobSchema>;

/** One job per (source, URL): a redelivered confirmation while BullMQ remembers the first adds nothing. */
export function sourceHandshakeJobId(job: Pick<SourceHandshakeJob, 'source' | 'url'>): string {
  return createHash('sha256').update(`handshake|${job.source}|${job.url}`).digest('hex').slice(0, 40);
}

/** Describe one monitor of an incident with Datadog's API (Datadog enrichment). */
export const enrichMonitorJobSchema = z.object({
  incidentId: z.string().regex(/^[0-9a-f]{24}$/),
  monitorId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type EnrichMonitorJob = z.infer<typeof enrichMonitorJobSchema>;

/** One job per (incident, monitor): the incident's other alerts queue nothing more. */
export function enrichMonitorJobId(job: EnrichMonitorJob): string {
  return `enrich-monitor-${job.incidentId}-${job.monitorId}`;
}

const incidentIdSchema = z.string().regex(/^[0-9a-f]{24}$/);
const resolutionCountSchema = z.number().int().min(1);

/** Query a metric monitor's metric over one resolution of an incident (Datadog enrichment). */
export const enrichMetricJobSchema = z.object({
  incidentId: incidentIdSchema,
  resolutionCount: resolutionCountSchema,
  monitorId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type EnrichMetricJob = z.infer<typeof enrichMetricJobSchema>;

/** One job per (incident, resolution, monitor): a reopened incident that resolves again is queried again. */
export function enrichMetricJobId(job: EnrichMetricJob): string {
  return `enrich-metric-${job.incidentId}-${job.resolutionCount}-${job.monitorId}`;
}

/** List the changes shortly before an incident's detection (Datadog enrichment). */
export const enrichChangesJobSchema = z.object({
  incidentId: incidentIdSchema,
  resolutionCount: resolutionCountSchema,
});
export type EnrichChangesJob = z.infer<typeof enrichChangesJobSchema>;

export function enrichChangesJobId(job: EnrichChangesJob): string {
  return `enrich-changes-${job.incidentId}-${job.resolutionCount}`;
}

/** Export a published postmortem to a Datadog notebook (DD_EXPORT_NOTEBOOKS). */
export const exportNotebookJobSchema = z.object({
  incidentId: incidentIdSchema,
  /** The postmortem's version once published: the job waits until the write is seen. */
  version: z.number().int().min(1),
});
export type ExportNotebookJob = z.infer<typeof exportNotebookJobSchema>;

/** One job per publication (the export itself is once per incident). */
export function exportNotebookJobId(job: ExportNotebookJob): string {
  return `enrich-notebook-${job.incidentId}-${job.version}`;
}
