/**
 * The issue summary's opening sentence, written from the incident's facts in the reference report's style:
 * `From 18:26 to 19:58 WAT (1 h 32 min), Datadog monitor “Home page 404s” alerted on 3 scopes (url:/,
 * url:/login, url:/booking), affecting web, booking (2 hosts).`
 */
import type { MonitorRef } from './alert';
import type { Incident } from './incident';
import { formatClock, formatDate, formatDateTime, formatDuration, zoneName } from './time-format';

/** Past this many, a list names the first ones and counts the rest. */
const LIST_LIMIT = 5;

export interface ResolvedSpan {
  detectedAt: Date;
  resolvedAt: Date;
  durationSeconds: number;
}

export function issueSummary(incident: Incident, span: ResolvedSpan, timeZone: string): string {
  const when = `${timeRange(span.detectedAt, span.resolvedAt, timeZone)} (${formatDuration(span.durationSeconds)})`;
  const what = `${monitorPhrase(incident.source, incident.monitors)} alerted${scopePhrase(scopesOf(incident))}`;
  return `${when}, ${what}, ${affectedPhrase(incident.services, incident.hosts)}.`;
}

/**
 * `From 18:26 to 19:58 WAT`; with dates when it ends on another day in the zone; with each end's own zone
 * name when the zone's name changes in between (`From 01:30 CET to 03:30 CEST`).
 */
export function timeRange(start: Date, end: Date, timeZone: string): string {
  const sameDay = formatDate(start, timeZone) === formatDate(end, timeZone);
  const show = (d: Date) => (sameDay ? formatClock(d, timeZone) : formatDateTime(d, timeZone));
  const startZone = zoneName(start, timeZone);
  const endZone = zoneName(end, timeZone);
  if (startZone === endZone) return `From ${show(start)} to ${show(end)} ${endZone}`;
  return `From ${show(start)} ${startZone} to ${show(end)} ${endZone}`;
}

/** How it was detected: `Datadog monitor “Home page 404s”`, `Datadog monitors “A” and “B”`. */
export function monitorPhrase(source: string, monitors: readonly MonitorRef[]): string {
  const names = monitors.map((m) => `“${m.name}”`);
  if (names.length === 0) return `${sourceName(source)} monitor`;
  const noun = names.length === 1 ? 'monitor' : 'monitors';
  return `${sourceName(source)} ${noun} ${joinWords(names)}`;
}

/** ` on url:/`, ` on 3 scopes (url:/, url:/login, url:/booking)`, or nothing for a monitor without scopes. */
export function scopePhrase(scopes: readonly string[]): string {
  if (scopes.length === 0) return '';
  if (scopes.length === 1) return ` on ${scopes[0]}`;
  return ` on ${scopes.length} scopes (${shortList(scopes)})`;
}

/** `affecting web, booking (2 hosts)`, `affecting no tagged service`; no parenthesis without hosts. */
export function affectedPhrase(services: readonly string[], hosts: readonly string[]): string {
  const what = services.length === 0 ? 'no tagged service' : shortList(services);
  const where = hosts.length === 0 ? '' : ` (${plural(hosts.length, 'host')})`;
  return `affecting ${what}${where}`;
}

/** The scopes the incident's alerts are about, in the order they first appeared. */
export function scopesOf(incident: Incident): string[] {
  const scopes = incident.alerts.map((a) => a.scope).filter((s): s is string => s !== null);
  return [...new Set(scopes)];
}

/** `datadog` → `Datadog`. */
export function sourceName(source: string): string {
  return source.charAt(0).toUpperCase() + source.slice(1);
}

/** `1 host`, `2 hosts`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `“A”`, `“A” and “B”`, `“A”, “B” and “C”`. */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** `a, b, c`; past the limit `a, b, c, d, e and 3 more`. */
function shortList(items: readonly string[]): string {
  if (items.length <= LIST_LIMIT) return items.join(', ');
  return `${items.slice(0, LIST_LIMIT).join(', ')} and ${items.length - LIST_LIMIT} more`;
}
