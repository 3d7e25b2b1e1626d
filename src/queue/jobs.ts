/**
 * The contract between the API and the workers: queue names, job names and their payloads.
 * Redis is a boundary too: workers validate every payload with these schemas before using it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERT_TRANSITIONS, SEVERITIES, type Alert } from '../domain/alert';
import { ValidationError } from '../errors';
import { ALERT_BOUNDS, boundAlert } from '../payloads/alert-bounds';

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

/** Text within a bound, never holding a NUL character (the database cannot store one). */
function boundedText(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'contains a NUL character, which cannot be stored');
}
const B = ALERT_BOUNDS;

/**
 * An alert as adapters make it, within ALERT_BOUNDS (src/payloads/alert-bounds.ts). The API checks every alert
 * with it before queueing one, and the worker checks them again with it: what the API accepts, the worker can
 * apply, so no accepted alert is ever dropped as malformed.
 */
export const alertSchema = z.object({
  source: boundedText(B.source, 1),
  eventId: boundedText(B.key, 1),
  groupKey: boundedText(B.key, 1),
  alertKey: boundedText(B.key, 1),
  scope: boundedText(B.scope).nullable(),
  transition: z.enum(ALERT_TRANSITIONS),
  rawTransition: boundedText(B.rawTransition),
  isTest: z.boolean(),
  // Years 0000 to 9999 only: the database stores any Date, but a time past 9999 has no ISO-8601 form here.
  at: z.iso.datetime({ message: 'is not a time Hindsight can keep (ISO-8601, years 0000 to 9999)' }),
  atOrigin: z.enum(['source', 'received']),
  title: boundedText(B.title, 1),
  message: boundedText(B.message),
  severity: z.enum(SEVERITIES).nullable(),
  monitor: z.object({
    id: boundedText(B.key).nullable(),
    name: boundedText(B.monitorName),
    url: boundedText(B.monitorUrl).nullable(),
    query: boundedText(B.monitorQuery).nullable(),
  }),
  cycleKey: boundedText(B.key).nullable(),
  services: z.array(boundedText(B.name)).max(B.services),
  hosts: z.array(boundedText(B.name)).max(B.hosts),
  tags: z.array(z.object({ key: boundedText(B.tagKey), value: boundedText(B.tagValue) })).max(B.tags),
}) satisfies z.ZodType<Alert>;

/**
 * A request's alerts as they may be queued: each held to ALERT_BOUNDS, then checked with the schema the worker
 * applies, so that anything the worker would refuse is a 400 at the door (naming the alert's field) and never
 * an accepted alert dropped later. A body holding a NUL character is refused whole: its alerts' log records
 * keep the body as received, and the database cannot store one.
 */
export function acceptableAlerts(alerts: readonly Alert[], raw: string): Alert[] {
  if (raw.includes('\u0000'))
    throw new ValidationError('body', 'contains a NUL character, which cannot be stored');
  return alerts.map((alert, index) => {
    const parsed = alertSchema.safeParse(boundAlert(alert));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const where = alerts.length > 1 ? `alerts.${index}` : 'alert';
    throw new ValidationError([where, ...issue.path].join('.'), issue.message);
  });
}

/** One alert as the API accepted it, its payload as received resolved (the worker's view of a queued alert). */
export interface AcceptedAlertItem {
  alert: Alert;
  receivedAt: string;
  contentType: string;
  /** The payload as received, so the alert log can keep it for inspection and replay. */
  raw: string;
}

const withoutNul = (value: string) => !value.includes('\u0000');

/**
 * One alert as a job carries it: its payload is either its own (`raw`) or one of the job's `bodies` (`body`, an
 * index), so that the alerts of one request (an Alertmanager group of 1,000, say) carry their body once, not
 * once each.
 */
export const queuedAlertSchema = z
  .object({
    alert: alertSchema,
    receivedAt: z.iso.datetime(),
    contentType: z.string().max(300),
    raw: z.string().refine(withoutNul, 'contains a NUL character').optional(),
    body: z.number().int().min(0).optional(),
  })
  .refine((item) => (item.raw === undefined) !== (item.body === undefined), 'needs either raw or body');
export type QueuedAlert = z.infer<typeof queuedAlertSchema>;

/**
 * The alerts the API accepted in one turn of its event loop, queued as one job: one Redis round trip and one
 * job's bookkeeping for all of them (measured: 22 against 111 us of CPU per alert, Node and Redis together).
 * Each item is validated on its own, so one malformed item never holds up the others. There is no per-alert
 * job id: a redelivered alert is one more item, and the alert log's _id in the database makes it a duplicate.
 */
export const alertBatchJobSchema = z.object({
  alerts: z.array(z.unknown()).min(1),
  bodies: z.array(z.string().refine(withoutNul, 'contains a NUL character')).optional(),
});
export interface AlertBatchJob {
  alerts: QueuedAlert[];
  /** The request bodies the alerts' `body` points into. */
  bodies?: string[];
}

/** The accepted alert an item of a job stands for, its payload looked up; null if the job lacks it. */
export function acceptedAlertOf(item: QueuedAlert, bodies: readonly string[]): AcceptedAlertItem | null {
  const raw = item.raw ?? (item.body === undefined ? undefined : bodies[item.body]);
  if (raw === undefined) return null;
  return { alert: item.alert, receivedAt: item.receivedAt, contentType: item.contentType, raw };
}

/** The job that carries these accepted alerts again (the ones of a batch that failed), each body once. */
export function alertBatchJob(items: readonly AcceptedAlertItem[]): AlertBatchJob {
  const bodies: string[] = [];
  const indexOf = new Map<string, number>();
  const alerts = items.map(({ raw, ...item }): QueuedAlert => {
    let body = indexOf.get(raw);
    if (body === undefined) {
      body = bodies.push(raw) - 1;
      indexOf.set(raw, body);
    }
    return { ...item, body };
  });
  return { alerts, bodies };
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
