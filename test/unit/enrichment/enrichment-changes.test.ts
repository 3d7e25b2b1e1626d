/**
 * The changes shortly before an incident, on the reference incident (the 404s were detected at 18:26 WAT; a push
 * to the web service at 18:19), and the part of the draft that lists them.
 */
import type { DatadogEvent } from '../../../src/domain/enrichment-change-events';
import {
  changeTimelineText,
  changesShortlyBefore,
  changesShortlyBeforePart,
  type ChangeEvent,
  type ChangeSelection,
} from '../../../src/domain/enrichment-changes';
import { LAGOS_NAMES, anyOf } from '../../helpers/postmortems';

const DETECTED_AT = new Date('2019-06-28T17:26:00Z');
const minutesBefore = (minutes: number) => new Date(DETECTED_AT.getTime() - minutes * 60_000);

function event(id: string | null, overrides: Partial<DatadogEvent> = {}): DatadogEvent {
  return {
    id,
    title: `Deployed web ${id ?? ''}`,
    text: null,
    at: minutesBefore(10),
    source: 'argocd',
    tags: ['service:web', 'env:prod'],
    url: `https://argocd.example.com/applications/web?rev=${id ?? ''}`,
    alertType: 'info',
    priority: 'normal',
    host: null,
    ...overrides,
  };
}

describe('changesShortlyBefore', () => {
  let selection: ChangeSelection;

  beforeEach(() => {
    selection = { services: ['web', 'booking'], detectedAt: DETECTED_AT, windowMinutes: 60 };
  });

  it('when a service deployed 10 min before, another service before that and web 3 h before, then only the first is listed', () => {
    const events = [
      event('affected'),
      event('unrelated', { tags: ['service:billing', 'env:prod'] }),
      event('long-before', { at: minutesBefore(180) }),
    ];
    expect(changesShortlyBefore(events, selection).map((c) => c.id)).toEqual(['affected']);
  });

  it('when the push came 7 min before detection, then it is listed with its kind', () => {
    const push = event('push', {
      source: 'github',
      title: 'alice pushed to acme/web main',
      at: minutesBefore(7),
    });
    expect(changesShortlyBefore([push], selection)).toEqual([{ ...push, kind: 'source control' }]);
  });

  it('when events are at the edges of the window, then both edges count, and after detection does not', () => {
    const events = [
      event('at-start', { at: minutesBefore(60) }),
      event('at-detection', { at: DETECTED_AT }),
      event('before-start', { at: new Date(minutesBefore(60).getTime() - 1000) }),
      event('after', { at: new Date(DETECTED_AT.getTime() + 1000) }),
    ];
    expect(changesShortlyBefore(events, selection).map((c) => c.id)).toEqual(['at-detection', 'at-start']);
  });

  it('when events are not changes, then they are not listed', () => {
    const alert = event('alert', { source: 'monitor alert', tags: ['service:web'] });
    expect(changesShortlyBefore([alert], selection)).toEqual([]);
  });

  it('when the service tag differs in case or spacing, then it still names the service; a tag of another key does not', () => {
    const events = [
      event('upper', { tags: ['Service:WEB'] }),
      event('spaced', { tags: ['service: booking '] }),
      event('other-key', { tags: ['web', 'app:web', 'service_name:web', 'service:webshop'] }),
    ];
    expect(changesShortlyBefore(events, selection).map((c) => c.id)).toEqual(['spaced', 'upper']);
  });

  it('when there are several, then newest first, ties by id, each id once, at most max', () => {
    const events = [
      event('b', { at: minutesBefore(5) }),
      event('a', { at: minutesBefore(5) }),
      event('c', { at: minutesBefore(30) }),
      event('c', { at: minutesBefore(30) }),
      event('d', { at: minutesBefore(2) }),
    ];
    expect(changesShortlyBefore(events, selection).map((c) => c.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(changesShortlyBefore(events, { ...selection, max: 2 }).map((c) => c.id)).toEqual(['d', 'a']);
  });

  it('when events have no id, then the same time, title and source is one event', () => {
    const events = [event(null), event(null), event(null, { title: 'Deployed web again' })];
    expect(changesShortlyBefore(events, selection)).toHaveLength(2);
  });

  it('when there are more than 20, then 20 are listed by default', () => {
    const events = Array.from({ length: 30 }, (_, i) => event(String(i), { at: minutesBefore(i) }));
    const listed = changesShortlyBefore(events, selection);
    expect(listed).toHaveLength(20);
    expect(listed[0]?.id).toBe('0');
  });

  it('when the incident has no services, then nothing is listed', () => {
    expect(
      changesShortlyBefore([event('x', { tags: ['service:'] })], { ...selection, services: [''] }),
    ).toEqual([]);
  });

  it('when the window or the maximum is not valid, then it throws a RangeError', () => {
    expect(() => changesShortlyBefore([], { ...selection, windowMinutes: -1 })).toThrow(RangeError);
    expect(() => changesShortlyBefore([], { ...selection, max: NaN })).toThrow(RangeError);
    expect(() => changesShortlyBefore([], { ...selection, detectedAt: new Date(NaN) })).toThrow(RangeError);
  });
});

describe('changesShortlyBeforePart', () => {
  let push: ChangeEvent;
  const display = { timezone: 'Africa/Lagos', detectedAt: DETECTED_AT };
  const zone = anyOf(LAGOS_NAMES);

  beforeEach(() => {
    push = {
      ...event('push', { source: 'github', title: 'alice pushed to acme/web main', at: minutesBefore(7) }),
      url: 'https://github.com/acme/web/compare/abc...def',
      kind: 'source control',
    };
  });

  it('when there are changes, then each has its time, linked title and source, and the question follows', () => {
    const deploy: ChangeEvent = {
      ...event('deploy', { at: minutesBefore(3), url: null }),
      kind: 'deployment',
    };
    const part = changesShortlyBeforePart([deploy, push], display);
    expect(part).toMatch(
      new RegExp(
        [
          '^### Changes shortly before\\n\\n',
          `- 18:23 ${zone}: Deployed web deploy \\(argocd\\)\\n`,
          `- 18:19 ${zone}: \\[alice pushed to acme/web main\\]\\(https://github\\.com/acme/web/compare/abc\\.\\.\\.def\\) \\(github\\)\\n\\n`,
          '_Did one of these cause it\\?_$',
        ].join(''),
      ),
    );
  });

  it('when there are none, then there is no part', () => {
    expect(changesShortlyBeforePart([], display)).toBeNull();
  });

  it('when a title carries Markdown or HTML, then it cannot change the document', () => {
    const hostile: ChangeEvent = {
      ...push,
      title: '# Heading\n[click](javascript:alert(1)) <script>alert(1)</script> ](https://evil.example.com)',
      source: '<b>github</b>\n\n## injected',
      url: null,
    };
    const part = changesShortlyBeforePart([hostile], display) ?? '';
    const line = part.split('\n').find((l) => l.startsWith('- ')) ?? '';
    expect(part.split('\n').filter((l) => l.startsWith('#'))).toEqual(['### Changes shortly before']);
    expect(line).not.toMatch(/<script>|<b>|(?<!\\)\]\(/);
    expect(line).toContain('&lt;script&gt;');
    expect(line).toContain('\\](');
  });

  it('when the link is not a safe http(s) one, then the title is shown unlinked', () => {
    const part = changesShortlyBeforePart([{ ...push, url: 'javascript:alert(1)' }], display) ?? '';
    expect(part).toContain(': alice pushed to acme/web main (github)');
    expect(part).not.toContain('javascript:');
  });

  it('when a link carries brackets, then they are encoded so the link keeps its shape', () => {
    const part = changesShortlyBeforePart(
      [{ ...push, title: 'a [b] c', url: 'https://x.example.com/a)b' }],
      display,
    );
    expect(part).toContain('[a \\[b\\] c](https://x.example.com/a%29b)');
  });

  it('when a change was on the day before detection, then its date is shown', () => {
    const part = changesShortlyBeforePart([{ ...push, at: new Date('2019-06-27T22:50:00Z') }], display);
    expect(part).toMatch(new RegExp(`- 2019-06-27 23:50 ${zone}: `));
  });
});

describe('changeTimelineText', () => {
  it('when the change has a source, then the entry names the kind and the source', () => {
    const change: ChangeEvent = {
      ...event('1', { source: 'github', title: 'alice pushed' }),
      kind: 'source control',
    };
    expect(changeTimelineText(change)).toBe('Change (source control, github): alice pushed');
    expect(changeTimelineText({ ...change, source: null, title: null })).toBe(
      'Change (source control): Untitled event',
    );
  });
});
