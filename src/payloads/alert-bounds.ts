/**
 * The bounds of what an alert may keep, the same for every source, and the one step that holds every adapter's
 * result to them before anything is queued. Adapters cap what they read (./values.ts), but a field one of them
 * forgot (an 800 KB `alert_scope`, 20,000 `service:` tags) must still not reach Redis or the database whole.
 *
 * Keys (the event id, the group and alert keys) are identities: cut, two different ones could become the same,
 * so a long key keeps its start and gains a digest of the whole. Text is cut. Lists keep their first items.
 * NUL characters are removed everywhere: the database cannot store them, and a string holding one would make
 * every attempt to apply the alert fail.
 */
import { createHash } from 'node:crypto';
import type { Alert, Label } from '../domain/alert';

/** Documented in the README's "Limits"; src/queue/jobs.ts refuses anything past them. */
export const ALERT_BOUNDS = {
  /** eventId, groupKey, alertKey, cycleKey, monitor id. */
  key: 500,
  scope: 1000,
  title: 500,
  message: 4000,
  rawTransition: 100,
  source: 100,
  monitorName: 500,
  monitorUrl: 2000,
  monitorQuery: 4000,
  services: 50,
  hosts: 50,
  /** One service or host name. */
  name: 255,
  tags: 200,
  tagKey: 200,
  tagValue: 1000,
} as const;

/** How much of a long key is kept before its digest: `<start>…#<32 hex digits>` fits ALERT_BOUNDS.key. */
const KEY_KEPT = ALERT_BOUNDS.key - 40;

export function boundAlert(alert: Alert): Alert {
  return {
    ...alert,
    source: text(alert.source, ALERT_BOUNDS.source),
    eventId: key(alert.eventId),
    groupKey: key(alert.groupKey),
    alertKey: key(alert.alertKey),
    scope: alert.scope === null ? null : text(alert.scope, ALERT_BOUNDS.scope),
    rawTransition: text(alert.rawTransition, ALERT_BOUNDS.rawTransition),
    title: text(alert.title, ALERT_BOUNDS.title),
    message: text(alert.message, ALERT_BOUNDS.message),
    monitor: {
      id: alert.monitor.id === null ? null : key(alert.monitor.id),
      name: text(alert.monitor.name, ALERT_BOUNDS.monitorName),
      url: alert.monitor.url === null ? null : urlText(alert.monitor.url),
      query: alert.monitor.query === null ? null : text(alert.monitor.query, ALERT_BOUNDS.monitorQuery),
    },
    cycleKey: alert.cycleKey === null ? null : key(alert.cycleKey),
    services: names(alert.services, ALERT_BOUNDS.services),
    hosts: names(alert.hosts, ALERT_BOUNDS.hosts),
    tags: alert.tags.slice(0, ALERT_BOUNDS.tags).map((tag): Label => ({
      key: text(tag.key, ALERT_BOUNDS.tagKey),
      value: text(tag.value, ALERT_BOUNDS.tagValue),
    })),
  };
}

/** Without NUL characters, and at most `max` characters long (never ending in half a surrogate pair). */
function text(value: string, max: number): string {
  const clean = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function key(value: string): string {
  const clean = text(value, Number.MAX_SAFE_INTEGER);
  if (clean.length <= ALERT_BOUNDS.key) return clean;
  const digest = createHash('sha256').update(clean).digest('hex').slice(0, 32);
  return `${text(clean, KEY_KEPT)}…#${digest}`;
}

/** A link cut short is a broken link: one too long is dropped instead. */
function urlText(value: string): string | null {
  const clean = text(value, Number.MAX_SAFE_INTEGER);
  return clean.length <= ALERT_BOUNDS.monitorUrl ? clean : null;
}

/** The first `max` distinct names, each cut to ALERT_BOUNDS.name, empty ones left out. */
function names(values: readonly string[], max: number): string[] {
  const kept = new Set<string>();
  for (const value of values) {
    if (kept.size >= max) break;
    const name = text(value, ALERT_BOUNDS.name);
    if (name.length > 0) kept.add(name);
  }
  return [...kept];
}
