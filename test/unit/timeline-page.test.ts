/** Pages of an incident's timeline, by the key of the last entry shown. */
import type { TimelineEntry } from '../../src/domain/incident';
import { TIMELINE_PAGE_LIMIT, timelinePage } from '../../src/domain/timeline-page';

const entries: TimelineEntry[] = Array.from({ length: 5 }, (_, i) => ({
  key: `event:e${i}`,
  at: new Date(Date.UTC(2026, 5, 14, 10, i)),
  receivedAt: new Date(Date.UTC(2026, 5, 14, 10, i)),
  kind: 'retriggered',
  alertKey: 'a',
  message: `m${i}`,
}));
const keys = (page: ReturnType<typeof timelinePage>) => page?.entries.map((e) => e.key);

describe('timelinePage', () => {
  it('when read without a cursor, then the first entries come, with the cursor of the next page', () => {
    const page = timelinePage(entries, undefined, 2);
    expect(keys(page)).toEqual(['event:e0', 'event:e1']);
    expect(page).toMatchObject({ nextCursor: 'event:e1', total: 5 });
  });

  it('when read page after page, then every entry comes once and the last page has no cursor', () => {
    const second = timelinePage(entries, 'event:e1', 2);
    expect(keys(second)).toEqual(['event:e2', 'event:e3']);
    const last = timelinePage(entries, second!.nextCursor!, 2);
    expect(keys(last)).toEqual(['event:e4']);
    expect(last!.nextCursor).toBeNull();
  });

  it('when the page ends exactly at the last entry, then there is no next page', () => {
    expect(timelinePage(entries, 'event:e2', 2)!.nextCursor).toBeNull();
    expect(timelinePage(entries, undefined, 5)!.nextCursor).toBeNull();
  });

  it('when the cursor names no entry, then there is no page', () => {
    expect(timelinePage(entries, 'event:nope', 2)).toBeNull();
  });

  it('when no limit is given, then a page holds TIMELINE_PAGE_LIMIT entries', () => {
    const long = Array.from({ length: TIMELINE_PAGE_LIMIT + 1 }, (_, i) => ({
      ...entries[0]!,
      key: `k${i}`,
    }));
    const page = timelinePage(long, undefined)!;
    expect(page.entries).toHaveLength(TIMELINE_PAGE_LIMIT);
    expect(page.nextCursor).toBe(`k${TIMELINE_PAGE_LIMIT - 1}`);
  });
});
