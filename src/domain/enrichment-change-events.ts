/**
 * The events of a v1.EventsApi.listEvents answer (an EventListResponse, as the client deserializes it), read as
 * untrusted input into bounded plain data. Which of them are changes is enrichment-change-rules.ts's to say.
 */
import { LIMITS, capText, field, isRecord, type JsonRecord } from '../payloads/values';

export const EVENT_ALERT_TYPES = [
  'error',
  'warning',
  'info',
  'success',
  'user_update',
  'recommendation',
  'snapshot',
] as const;
export type EventAlertType = (typeof EVENT_ALERT_TYPES)[number];

export interface DatadogEvent {
  /** Datadog's id, as the exact digits of `idStr` where sent (ids pass 2^53). */
  id: string | null;
  title: string | null;
  text: string | null;
  /** `dateHappened`. */
  at: Date;
  /** `sourceTypeName`: `github`, `jenkins`, `my apps`. */
  source: string | null;
  tags: string[];
  /** An absolute http(s) link, or null. */
  url: string | null;
  alertType: EventAlertType | null;
  priority: 'normal' | 'low' | null;
  host: string | null;
}

export interface EventLimits {
  /** Events kept, the newest first by time. */
  maxEvents: number;
  /** An answer with more events than this is refused. */
  maxEventsRead: number;
  /** Tags kept per event (the first ones). */
  maxTags: number;
  /** Where a relative event link (`/event/event?id=1`) points: `https://app.datadoghq.eu`. Null: dropped. */
  appUrl: string | null;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = {
  maxEvents: 1000,
  maxEventsRead: 10_000,
  maxTags: 100,
  appUrl: null,
};

export type ChangeEventsRead =
  | {
      kind: 'events';
      events: DatadogEvent[];
      /** Valid events left out beyond `maxEvents` (the oldest). */
      omitted: number;
      /** Events dropped: not an object, or without a plausible time. */
      invalid: number;
    }
  | { kind: 'refused'; reason: string };

const EARLIEST_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const LATEST_SECONDS = Date.UTC(2100, 0, 1) / 1000;
const MAX_TAG_LENGTH = 200;
const MAX_SOURCE_LENGTH = 100;
const MAX_URL_LENGTH = 2000;

/** The events of an EventListResponse, bounded; a refusal for an answer that is not one. Never throws. */
export function readChangeEvents(response: unknown, limits: Partial<EventLimits> = {}): ChangeEventsRead {
  const bounds = { ...DEFAULT_EVENT_LIMITS, ...limits };
  try {
    if (!isRecord(response)) return refused('the answer is not an object');
    const list = field(response, 'events');
    if (list === undefined || list === null) return { kind: 'events', events: [], omitted: 0, invalid: 0 };
    if (!Array.isArray(list)) return refused('events is not a list');
    if (list.length > bounds.maxEventsRead)
      return refused(`the answer has ${list.length} events; at most ${bounds.maxEventsRead} are read`);
    const events = (list as unknown[]).flatMap((item) => (isRecord(item) ? eventOf(item, bounds) : []));
    events.sort((a, b) => b.at.getTime() - a.at.getTime());
    const kept = events.slice(0, Math.max(0, Math.floor(bounds.maxEvents)));
    return {
      kind: 'events',
      events: kept,
      omitted: events.length - kept.length,
      invalid: list.length - events.length,
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'unknown error';
    return refused(`the answer could not be read (${capText(detail, 200)})`);
  }
}

function eventOf(record: JsonRecord, limits: EventLimits): DatadogEvent[] {
  const seconds = field(record, 'dateHappened');
  if (typeof seconds !== 'number' || !(seconds >= EARLIEST_SECONDS && seconds <= LATEST_SECONDS)) return [];
  const tags = field(record, 'tags');
  const alertType = field(record, 'alertType');
  const priority = field(record, 'priority');
  return [
    {
      id: idOf(field(record, 'idStr'), field(record, 'id')),
      title: textOf(field(record, 'title'), LIMITS.title),
      text: textOf(field(record, 'text'), LIMITS.message),
      at: new Date(Math.round(seconds * 1000)),
      source: textOf(field(record, 'sourceTypeName'), MAX_SOURCE_LENGTH),
      tags: Array.isArray(tags)
        ? (tags as unknown[])
            .slice(0, Math.max(0, limits.maxTags))
            .flatMap((t) => textOf(t, MAX_TAG_LENGTH) ?? [])
        : [],
      url: urlOf(field(record, 'url'), limits.appUrl),
      alertType: (EVENT_ALERT_TYPES as readonly unknown[]).includes(alertType)
        ? (alertType as EventAlertType)
        : null,
      priority: priority === 'normal' || priority === 'low' ? priority : null,
      host: textOf(field(record, 'host'), LIMITS.text),
    },
  ];
}

/** `idStr` when it is digits; else `id` when it is a whole number (its digits may be rounded past 2^53). */
function idOf(idStr: unknown, id: unknown): string | null {
  if (typeof idStr === 'string' && /^\d{1,40}$/.test(idStr.trim())) return idStr.trim();
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 2 ** 64) return BigInt(id).toString();
  return null;
}

/** An absolute http(s) URL without credentials; a relative one (`/event/...`) resolved against `appUrl`. */
function urlOf(value: unknown, appUrl: string | null): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return null;
  const text = value.trim();
  const absolute = /^\/(?!\/)/.test(text) && appUrl !== null ? `${appUrl.replace(/\/+$/, '')}${text}` : text;
  if (!/^https?:\/\/[^\s]+$/i.test(absolute)) return null;
  try {
    const url = new URL(absolute);
    return url.username === '' && url.password === '' ? url.href : null;
  } catch {
    return null;
  }
}

function textOf(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : capText(text, max);
}

function refused(reason: string): ChangeEventsRead {
  return { kind: 'refused', reason };
}
