/**
 * What a Datadog event title says in its bracket prefixes: `[P1] [TEST] [Triggered on {host:web-1}] CPU high`.
 * Also finds the monitor link (`/monitors/<id>`) in a link or a notification body.
 */
import type { Severity } from '../../domain/alert';
import { severityFromPriority, transitionFromWord } from './datadog.mappings';

export interface TitleParts {
  /** The transition word as sent, e.g. `Re-Triggered`; null when no prefix names one. */
  transitionWord: string | null;
  /** The `{...}` group of the transition prefix, as sent (`host:web-1,env:prod`). */
  scope: string | null;
  severity: Severity | null;
  isTest: boolean;
  /** The title without its known prefixes, trimmed. */
  name: string;
}

/** Longer titles are cut before parsing, so no expression ever runs over a huge string. */
const MAX_PARSED_TITLE = 2000;
const MAX_PREFIXES = 8;
/** One leading `[word]` or `[word on {group}]`. */
const PREFIX = /^\s*\[\s*([A-Za-z0-9][A-Za-z0-9 _-]{0,40}?)\s*(?:\s+on\s+\{([^{}[\]]{0,1000})\}\s*)?\]/;
const TEST_MARK = '[TEST]';

/** Reads the known prefixes; an unknown bracket (`[prod] API errors`) stays part of the name. */
export function parseTitle(title: string): TitleParts {
  const parts: TitleParts = { transitionWord: null, scope: null, severity: null, isTest: false, name: '' };
  let rest = title.slice(0, MAX_PARSED_TITLE);
  parts.isTest = rest.includes(TEST_MARK);
  for (let i = 0; i < MAX_PREFIXES; i += 1) {
    const match = PREFIX.exec(rest);
    const word = match?.[1];
    if (match === null || word === undefined) break;
    const group = match[2];
    if (group === undefined && word.toUpperCase() === 'TEST') {
      parts.isTest = true;
    } else if (group === undefined && severityFromPriority(word) !== null && /^p/i.test(word)) {
      parts.severity ??= severityFromPriority(word);
    } else if (transitionFromWord(word) !== null) {
      parts.transitionWord ??= word;
      if (group !== undefined) parts.scope ??= group;
    } else {
      break;
    }
    rest = rest.slice(match[0].length);
  }
  parts.name = rest.trim();
  return parts;
}

export interface MonitorLink {
  monitorId: string;
  /** `<origin>/monitors/<id>`, without query string or fragment. */
  url: string;
}

/** `https://app.datadoghq.com/monitors/123?...`, `/monitors/123/edit` and `/monitors#123`. */
const MONITOR_LINK = /\b(https?:\/\/[A-Za-z0-9.-]{1,253}(?::\d{1,5})?)\/monitors(?:\/|#)(\d{1,20})(?!\d)/;
const MAX_SCANNED_TEXT = 100_000;

/** The first monitor link in a text, or null. */
export function findMonitorLink(text: string | null): MonitorLink | null {
  if (text === null) return null;
  const match = MONITOR_LINK.exec(text.slice(0, MAX_SCANNED_TEXT));
  const origin = match?.[1];
  const monitorId = match?.[2];
  if (origin === undefined || monitorId === undefined) return null;
  return { monitorId, url: `${origin}/monitors/${monitorId}` };
}
