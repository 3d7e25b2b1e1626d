/** A listEvents answer read as untrusted input, and the rule that says which events are changes. */
import {
  readChangeEvents,
  type ChangeEventsRead,
  type DatadogEvent,
} from '../../../src/domain/enrichment-change-events';
import { changeKindOf, isChangeEvent } from '../../../src/domain/enrichment-change-rules';

/** 18:19 WAT on the reference day, in epoch seconds. */
const PUSH_SECONDS = Date.UTC(2019, 5, 28, 17, 19) / 1000;

/** An Event as the client deserializes it: a push to the web service's repository. */
function eventModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 5093254921840938000,
    idStr: '5093254921840938123',
    title: 'alice pushed 1 commit to acme/web main',
    text: 'Fix the booking route',
    dateHappened: PUSH_SECONDS,
    sourceTypeName: 'github',
    tags: ['service:web', 'env:prod', 'repo:acme/web'],
    url: 'https://github.com/acme/web/compare/abc...def',
    alertType: 'info',
    priority: 'normal',
    host: null,
    ...overrides,
  };
}

function events(read: ChangeEventsRead): DatadogEvent[] {
  if (read.kind !== 'events') throw new Error(`refused: ${read.reason}`);
  return read.events;
}

describe('readChangeEvents', () => {
  let response: { events: unknown[]; status?: string };

  beforeEach(() => {
    response = { status: 'ok', events: [eventModel()] };
  });

  it('when the answer is a normal one, then each event is read as plain data', () => {
    expect(readChangeEvents(response)).toEqual({
      kind: 'events',
      events: [
        {
          id: '5093254921840938123',
          title: 'alice pushed 1 commit to acme/web main',
          text: 'Fix the booking route',
          at: new Date('2019-06-28T17:19:00Z'),
          source: 'github',
          tags: ['service:web', 'env:prod', 'repo:acme/web'],
          url: 'https://github.com/acme/web/compare/abc...def',
          alertType: 'info',
          priority: 'normal',
          host: null,
        },
      ],
      omitted: 0,
      invalid: 0,
    });
  });

  it('when idStr is missing, then the id is the number’s digits; when neither is, null', () => {
    response.events = [eventModel({ idStr: undefined, id: 42 }), eventModel({ idStr: 'abc', id: '42' })];
    expect(events(readChangeEvents(response)).map((e) => e.id)).toEqual(['42', null]);
  });

  it('when the answer has no events, then there are none; when it is not an answer, it is refused', () => {
    expect(readChangeEvents({ status: 'ok' })).toEqual({
      kind: 'events',
      events: [],
      omitted: 0,
      invalid: 0,
    });
    expect(readChangeEvents(null).kind).toBe('refused');
    expect(readChangeEvents([]).kind).toBe('refused');
    expect(readChangeEvents({ events: 'none' }).kind).toBe('refused');
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative', '//evil.example.com/x'],
    ['credentials', 'https://github.com@evil.example.com/'],
    ['a space', 'https://example.com/a b'],
    ['a number', 42],
    ['too long', `https://example.com/${'a'.repeat(2000)}`],
  ])('when the link is %s, then it is dropped', (_what, url) => {
    response.events = [eventModel({ url })];
    expect(events(readChangeEvents(response))[0]?.url).toBeNull();
  });

  it('when the link is relative, then it is resolved against the app URL, or dropped without one', () => {
    response.events = [eventModel({ url: '/event/event?id=5093254921840938123' })];
    expect(events(readChangeEvents(response, { appUrl: 'https://app.datadoghq.eu/' }))[0]?.url).toBe(
      'https://app.datadoghq.eu/event/event?id=5093254921840938123',
    );
    expect(events(readChangeEvents(response))[0]?.url).toBeNull();
  });

  it('when fields have the wrong types, then they are null, and bad tags are left out', () => {
    response.events = [
      eventModel({
        title: { deep: { deeper: { deepest: 'x' } } },
        text: 12,
        sourceTypeName: ['github'],
        tags: ['service:web', 7, null, { t: 1 }, '  ', 'x'.repeat(500)],
        alertType: 'critical',
        priority: 'high',
      }),
    ];
    expect(events(readChangeEvents(response))[0]).toMatchObject({
      title: null,
      text: null,
      source: null,
      tags: ['service:web', 'x'.repeat(200)],
      alertType: null,
      priority: null,
    });
  });

  it('when an event has no plausible time, or is not an object, then it is dropped and counted', () => {
    response.events = [
      eventModel({ dateHappened: '1561742340' }),
      eventModel({ dateHappened: NaN }),
      eventModel({ dateHappened: PUSH_SECONDS * 1000 }),
      eventModel({ dateHappened: undefined }),
      'event',
      null,
      eventModel(),
    ];
    const read = readChangeEvents(response);
    expect(read).toMatchObject({ kind: 'events', invalid: 6, omitted: 0 });
    expect(events(read)).toHaveLength(1);
  });

  it('when strings are long, then they are capped', () => {
    response.events = [eventModel({ title: 't'.repeat(10_000), text: 'x'.repeat(100_000) })];
    const [event] = events(readChangeEvents(response));
    expect(event?.title).toHaveLength(500);
    expect(event?.text).toHaveLength(4000);
  });

  it('when an event has many tags, then the first ones are kept', () => {
    response.events = [eventModel({ tags: Array.from({ length: 10_000 }, (_, i) => `tag:${i}`) })];
    const [event] = events(readChangeEvents(response));
    expect(event?.tags).toHaveLength(100);
    expect(event?.tags[99]).toBe('tag:99');
  });

  it('when there are more events than kept, then the newest are kept and the rest counted', () => {
    response.events = Array.from({ length: 30 }, (_, i) =>
      eventModel({ idStr: String(i), dateHappened: PUSH_SECONDS + i }),
    );
    const read = readChangeEvents(response, { maxEvents: 5 });
    expect(events(read).map((e) => e.id)).toEqual(['29', '28', '27', '26', '25']);
    expect(read).toMatchObject({ omitted: 25 });
  });

  it('when an answer holds more events than are read, then it is refused', () => {
    response.events = new Array(10_001).fill(eventModel());
    expect(readChangeEvents(response).kind).toBe('refused');
  });

  it('when reading throws, then it is refused, not thrown', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
      },
    );
    expect(readChangeEvents(hostile)).toEqual({
      kind: 'refused',
      reason: 'the answer could not be read (trap)',
    });
  });
});

describe('changeKindOf', () => {
  const event = (source: string | null, tags: string[] = []) => ({ source, tags });

  it.each([
    ['github', 'source control'],
    ['GitLab', 'source control'],
    ['bitbucket', 'source control'],
    ['jenkins', 'ci'],
    ['Travis CI', 'ci'],
    ['CircleCI', 'ci'],
    ['argocd', 'deployment'],
    ['Spinnaker', 'deployment'],
    ['Octopus Deploy', 'deployment'],
    ['chef', 'configuration'],
    ['Puppet', 'configuration'],
    ['ansible', 'configuration'],
    ['terraform', 'configuration'],
    ['LaunchDarkly', 'feature flag'],
    ['split', 'feature flag'],
    ['flagsmith', 'feature flag'],
  ])('when the source is %s, then it is a %s', (source, kind) => {
    expect(changeKindOf(event(source))).toBe(kind);
  });

  it.each([
    [['deploy'], 'deployment'],
    [['Deployment'], 'deployment'],
    [['event_type:deployment'], 'deployment'],
    [['event-type:Deploy'], 'deployment'],
    [['event_reason:ScalingReplicaSet', 'kube_deployment:web'], 'deployment'],
    [['config'], 'configuration'],
    [['event_type:config_change'], 'configuration'],
    [['feature_flag:new-checkout'], 'feature flag'],
    [['change_type:schema'], 'change'],
    [['category:change'], 'change'],
  ])('when the tags are %j, then it is a %s', (tags, kind) => {
    expect(changeKindOf(event('my apps', tags))).toBe(kind);
  });

  it.each([
    ['a monitor alert', 'monitor alert', ['service:web', 'monitor']],
    ['a Kubernetes pod event', 'kubernetes', ['kube_deployment:web', 'event_reason:BackOff']],
    ['a Docker event', 'docker', ['container_name:web']],
    ['a user note', 'user', []],
    ['a deployment-named key with a value', 'my apps', ['deployment:blue', 'deploy_env:prod']],
    ['no source', null, ['service:web']],
  ])('when it is %s, then it is not a change', (_what, source, tags) => {
    expect(isChangeEvent(event(source, tags))).toBe(false);
  });
});
