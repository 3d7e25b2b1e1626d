/**
 * The one internal alert type. Every source adapter turns its payload into `Alert[]`;
 * nothing downstream of an adapter knows which monitor sent it.
 */

export const ALERT_TRANSITIONS = [
  'triggered',
  'retriggered',
  'warn',
  'no_data',
  'recovered',
  'acknowledged',
] as const;
/**
 * What happened to one alert: the monitor's transition, normalized. `acknowledged` (PagerDuty, Opsgenie, New
 * Relic, Zabbix) is someone taking the alert on at the source: it changes no alert's state, and is the
 * incident's acknowledgement.
 */
export type AlertTransition = (typeof ALERT_TRANSITIONS)[number];

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A foreign label, stored as a pair because its key may contain `.` or start with `$`. */
export interface Label {
  key: string;
  value: string;
}

export interface MonitorRef {
  /** The monitor's id at the source (a string: Datadog ids are numbers, other sources use names). */
  id: string | null;
  name: string;
  url: string | null;
  query: string | null;
}

export interface Alert {
  /** The monitor that sent it: `datadog`, later `alertmanager`, `grafana`, ... */
  source: string;
  /**
   * The source's own id for this notification (Datadog's `$ID`), or `sha256:<hex>` of the payload bytes
   * when the source sends none. Two deliveries with the same eventId are the same event.
   */
  eventId: string;
  /** Incident correlation key (the fingerprint): alerts with the same groupKey share an incident. */
  groupKey: string;
  /** The alert inside the incident: one per scope of a multi-alert monitor. */
  alertKey: string;
  /** The group the alert is about, e.g. `host:web-1`; null for a simple monitor. */
  scope: string | null;
  transition: AlertTransition;
  /** The source's own word for the transition, e.g. `Re-Triggered`. */
  rawTransition: string;
  /** A test notification: recorded, never opens an incident. */
  isTest: boolean;
  /** The monitor's own event time, ISO-8601 UTC. */
  at: string;
  /** Whether `at` came from the payload (`source`) or, lacking one, from the receipt time (`received`). */
  atOrigin: 'source' | 'received';
  /** The monitor name, without the `[P1] [Triggered on ...]` decorations. */
  title: string;
  /** The notification text, trimmed to a sane length. */
  message: string;
  severity: Severity | null;
  monitor: MonitorRef;
  /** The source's alert-cycle id (Datadog's `$ALERT_CYCLE_KEY`), null when not sent. */
  cycleKey: string | null;
  services: string[];
  hosts: string[];
  tags: Label[];
}

export const SEVERITY_RANK: Record<Severity, number> = { P1: 1, P2: 2, P3: 3, P4: 4, P5: 5 };

/** The more severe of two severities (P1 beats P2); null counts as unknown. */
export function higherSeverity(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}
