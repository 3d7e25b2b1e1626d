/**
 * A page of an incident's timeline: the entries after the one a cursor names, at most `limit`. An incident
 * that renotified for weeks has tens of thousands of entries; an answer holds a page of them, never all.
 * The cursor is the key of the page's last entry: keys are stable (derived from the event, note or person that
 * made the entry), so a page read again later starts where it did, with later arrivals placed by their time.
 */
import type { TimelineEntry } from './incident';

/** Entries in one page, unless asked for fewer: an API answer or a web page stays a few hundred KB at most. */
export const TIMELINE_PAGE_LIMIT = 200;

export interface TimelinePage {
  entries: TimelineEntry[];
  /** The cursor of the next page; null on the last. */
  nextCursor: string | null;
  /** How many entries the timeline has in all. */
  total: number;
}

/** The page after `cursor` (from the start without one); null when no entry has that key. */
export function timelinePage(
  timeline: readonly TimelineEntry[],
  cursor: string | undefined,
  limit = TIMELINE_PAGE_LIMIT,
): TimelinePage | null {
  let start = 0;
  if (cursor !== undefined) {
    const index = timeline.findIndex((entry) => entry.key === cursor);
    if (index === -1) return null;
    start = index + 1;
  }
  const entries = timeline.slice(start, start + limit);
  const more = start + limit < timeline.length;
  return {
    entries,
    nextCursor: more && entries.length > 0 ? entries[entries.length - 1]!.key : null,
    total: timeline.length,
  };
}
