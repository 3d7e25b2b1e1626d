/**
 * The Alertmanager notification shape, shared by Prometheus Alertmanager's webhook (`version: "4"`) and Grafana
 * Alerting's webhook contact point (`version: "1"`): one notification group listing alerts, each with labels,
 * annotations, a fingerprint, startsAt/endsAt and a status; one Alert each.
 *
 * Contracts:
 * - every alert of one notification group (its `groupKey`, else receiver + groupLabels) shares one groupKey;
 * - an alert's episode is fingerprint + startsAt; its eventId is the episode, its status and (when resolved)
 *   endsAt: repeats and an HA pair's double delivery are one event, a resolution is another, a firing after a
 *   resolution (a new startsAt) is a new one, and a stale firing of a resolved episode is the first firing again;
 * - a group-level `resolved` recovers every alert it lists; Go's zero time (`0001-01-01T00:00:00Z`) is no time.
 */
import type { Alert, AlertTransition, Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import { severityFromLabel, transitionFromStatus } from './alertmanager.mappings';
import type { SourceContext, SourceResult } from '../source';
import { distinct, labelsFromObject, valuesForKeys } from '../../payloads/labels';
import { decideEventTime, parseTime } from '../../payloads/times';
import {
  LIMITS,
  capText,
  digestOf,
  field,
  optionalArray,
  optionalRecord,
  optionalText,
  readingPayload,
  requireRecord,
  type JsonRecord,
} from '../../payloads/values';

/** Go's zero time.Time, which both tools write for "not ended". */
const GO_ZERO_TIME = /^0001-01-01/;
/** A group key is digested whole, never cut to a label's length first. */
const MAX_GROUP_KEY = 65_536;

export interface AlertStatus {
  transition: AlertTransition;
  /** The word as sent, e.g. `firing`. */
  raw: string;
}

export interface ListedAlert {
  /** `alerts[2]`: where its fields are named in errors. */
  path: string;
  status: AlertStatus | null;
  labels: Label[];
  summary: string | null;
  description: string | null;
  /** As sent, else a digest of the sorted labels. */
  fingerprint: string;
  startsAt: Date | null;
  /** Null when not ended (absent or Go's zero time). */
  endsAt: Date | null;
  generatorUrl: string | null;
  /** Grafana's own: the alert rule's uid (`ruleUID`, sent since Grafana's alerting #470, January 2026). */
  ruleUid: string | null;
  /** Grafana's own: the link that silences the alert, whose matchers name the rule's uid. */
  silenceUrl: string | null;
}

export interface AlertGroup {
  status: AlertStatus | null;
  /** A digest of the group's identity: the notification's groupKey, else its receiver and groupLabels. */
  key: string;
  groupLabelKeys: ReadonlySet<string>;
  /** How many alerts the sender left out of the list (`max_alerts`). */
  truncatedAlerts: number;
  /** The notification's own title (Grafana's, deprecated there); null when not sent. */
  title: string | null;
  alerts: ListedAlert[];
}

/** What differs between the tools that send this shape. */
export interface AlertGroupSource {
  name: string;
  /** The tool, as an ignored notification names it. */
  toolName: string;
  monitorId(alert: ListedAlert): string | null;
  isTest(alert: ListedAlert): boolean;
  /** The title when the alert has neither a summary annotation nor an alertname label. */
  fallbackTitle(group: AlertGroup): string | null;
}

/** The non-empty value of the label `key`, or null. */
export function labelValue(labels: readonly Label[], key: string): string | null {
  return labels.find((label) => label.key === key && label.value !== '')?.value ?? null;
}

function statusOf(path: string, value: unknown): AlertStatus | null {
  const raw = optionalText(path, value);
  if (raw === null) return null;
  const transition = transitionFromStatus(raw);
  if (transition === null)
    throw new ValidationError(path, `unknown status ${JSON.stringify(raw.slice(0, 64))}`);
  return { transition, raw };
}

function alertTime(path: string, value: unknown): Date | null {
  const text = optionalText(path, value);
  return text === null || GO_ZERO_TIME.test(text) ? null : parseTime(path, text);
}

function countOf(path: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  const count = typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw new ValidationError(path, 'must be a count of alerts');
  return count;
}

const pairsOf = (labels: readonly Label[]) => labels.map((l) => JSON.stringify([l.key, l.value])).sort();

function readAlert(value: unknown, index: number): ListedAlert {
  const path = `alerts[${index}]`;
  const alert = requireRecord(path, value);
  const labels = labelsFromObject(optionalRecord(`${path}.labels`, field(alert, 'labels')));
  const annotations = optionalRecord(`${path}.annotations`, field(alert, 'annotations')) ?? {};
  const annotation = (key: string, max: number) =>
    optionalText(`${path}.annotations.${key}`, field(annotations, key), max);
  return {
    path,
    status: statusOf(`${path}.status`, field(alert, 'status')),
    labels,
    summary: annotation('summary', LIMITS.message),
    description: annotation('description', LIMITS.message) ?? annotation('message', LIMITS.message),
    fingerprint:
      optionalText(`${path}.fingerprint`, field(alert, 'fingerprint')) ?? digestOf(...pairsOf(labels)),
    startsAt: alertTime(`${path}.startsAt`, field(alert, 'startsAt')),
    endsAt: alertTime(`${path}.endsAt`, field(alert, 'endsAt')),
    generatorUrl: optionalText(`${path}.generatorURL`, field(alert, 'generatorURL')),
    ruleUid: optionalText(`${path}.ruleUID`, field(alert, 'ruleUID')),
    silenceUrl: optionalText(`${path}.silenceURL`, field(alert, 'silenceURL'), LIMITS.text),
  };
}

function readAlertGroup(body: unknown): AlertGroup {
  const payload: JsonRecord = requireRecord('payload', body);
  const list = field(payload, 'alerts');
  if (list === undefined || list === null) throw new ValidationError('alerts', 'is required');
  const groupLabels = labelsFromObject(optionalRecord('groupLabels', field(payload, 'groupLabels')));
  const groupKey = optionalText('groupKey', field(payload, 'groupKey'), MAX_GROUP_KEY);
  const receiver = optionalText('receiver', field(payload, 'receiver')) ?? '';
  return {
    status: statusOf('status', field(payload, 'status')),
    key:
      groupKey === null
        ? digestOf('receiver', receiver, ...pairsOf(groupLabels))
        : digestOf('groupKey', groupKey),
    groupLabelKeys: new Set(groupLabels.map((label) => label.key)),
    truncatedAlerts: countOf('truncatedAlerts', field(payload, 'truncatedAlerts')),
    title: optionalText('title', field(payload, 'title'), LIMITS.title),
    alerts: optionalArray('alerts', list).map(readAlert),
  };
}

/** A group's `resolved` wins; else the alert's own status, the group's, or (neither sent) whether it ended. */
function decideStatus(alert: ListedAlert, group: AlertGroup, receivedAt: Date): AlertStatus {
  if (group.status?.transition === 'recovered') return group.status;
  const sent = alert.status ?? group.status;
  if (sent !== null) return sent;
  const ended = alert.endsAt !== null && alert.endsAt.getTime() <= receivedAt.getTime();
  return ended ? { transition: 'recovered', raw: 'resolved' } : { transition: 'triggered', raw: 'firing' };
}

/** `web-1:9100` -> `web-1`, `[::1]:9100` -> `::1`, `https://shop.example.com/health` -> `shop.example.com`. */
export function hostOfInstance(instance: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(instance)?.[1];
  const host = url ?? /^(\[[^\]]+\]|[^:]+):\d{1,5}$/.exec(instance)?.[1] ?? instance;
  return host.replace(/^\[(.+)\]$/, '$1');
}

/** The alert's labels that are not the group's (nor internal `__` ones), as `key=value,...`; null when none. */
function scopeOf(labels: readonly Label[], groupLabelKeys: ReadonlySet<string>): string | null {
  const parts = labels
    .filter((label) => !groupLabelKeys.has(label.key) && !label.key.startsWith('__'))
    .map((label) => `${label.key}=${label.value}`)
    .sort();
  return parts.length === 0 ? null : capText(parts.join(','), LIMITS.text);
}

/** The text, with a note of the alerts the sender left out that survives the cap. */
function messageOf(text: string | null, truncatedAlerts: number): string {
  if (truncatedAlerts === 0) return capText(text ?? '', LIMITS.message);
  const note = `(+${truncatedAlerts} ${truncatedAlerts === 1 ? 'alert' : 'alerts'} not listed)`;
  return text === null ? note : `${capText(text, LIMITS.message - note.length - 1)} ${note}`;
}

function toAlert(alert: ListedAlert, group: AlertGroup, ctx: SourceContext, source: AlertGroupSource): Alert {
  const status = decideStatus(alert, group, ctx.receivedAt);
  const resolved = status.transition === 'recovered';
  const startsAt = alert.startsAt?.toISOString() ?? null;
  const endsAt = alert.endsAt?.toISOString() ?? null;
  const groupKey = `${source.name}:${group.key}`;
  const alertname = labelValue(alert.labels, 'alertname');
  const title = capText(
    alert.summary ?? alertname ?? source.fallbackTitle(group) ?? `Alert ${alert.fingerprint}`,
    LIMITS.title,
  );
  const instance = labelValue(alert.labels, 'instance');
  const severity = labelValue(alert.labels, 'severity');
  const statusWord = resolved ? 'resolved' : 'firing';
  const event = digestOf(alert.fingerprint, startsAt ?? '', statusWord, resolved ? (endsAt ?? '') : '');
  return {
    source: source.name,
    eventId: `${source.name}:${event}`,
    groupKey,
    alertKey: `${groupKey}|${alert.fingerprint}`,
    scope: scopeOf(alert.labels, group.groupLabelKeys),
    transition: status.transition,
    rawTransition: status.raw,
    isTest: source.isTest(alert),
    ...decideEventTime(
      resolved ? [[`${alert.path}.endsAt`, endsAt]] : [[`${alert.path}.startsAt`, startsAt]],
      ctx.receivedAt,
    ),
    title,
    message: messageOf(alert.description ?? alert.summary, group.truncatedAlerts),
    severity: severity === null ? null : severityFromLabel(severity),
    monitor: {
      id: source.monitorId(alert),
      name: alertname ?? title,
      url:
        alert.generatorUrl !== null && /^https?:\/\//i.test(alert.generatorUrl) ? alert.generatorUrl : null,
      query: null,
    },
    cycleKey: startsAt === null ? null : `${alert.fingerprint}@${startsAt}`,
    services: distinct(valuesForKeys(alert.labels, ctx.serviceTagKeys)),
    hosts: distinct([
      ...valuesForKeys(alert.labels, ctx.hostTagKeys),
      instance === null ? null : hostOfInstance(instance),
    ]),
    tags: alert.labels,
  };
}

/** One notification -> an Alert per listed alert; a notification listing none is ignored. */
export function parseAlertGroupWebhook(
  body: unknown,
  ctx: SourceContext,
  source: AlertGroupSource,
): SourceResult {
  return readingPayload(() => {
    const group = readAlertGroup(body);
    if (group.alerts.length === 0)
      return { alerts: [], ignored: `${source.toolName} notification with no alerts` };
    return { alerts: group.alerts.map((alert) => toAlert(alert, group, ctx, source)) };
  });
}
