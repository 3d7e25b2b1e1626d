import type { Alert } from '../../src/domain/alert';
import type { SourceContext, SourceResult } from '../../src/sources';
import {
  pagerdutySource,
  signPagerDutyBody,
  verifyPagerDutySignature,
} from '../../src/sources/pagerduty/pagerduty.source';
import {
  fixtureAlerts,
  onlyAlertIn,
  parseBody,
  sourceContext,
  validationFieldOf,
} from '../helpers/source-tests';

interface Overrides {
  event?: Record<string, unknown>;
  data?: Record<string, unknown>;
  context?: Partial<SourceContext>;
}

/** A V3 webhook around one incident, parsed; each part may be replaced or removed (undefined). */
function parse({ event = {}, data = {}, context = {} }: Overrides = {}): SourceResult {
  const body = {
    event: {
      id: '01J0K8UNIT0000000000000001',
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: '2026-06-14T10:00:00.000Z',
      agent: { id: 'PJANE42', type: 'user_reference', summary: 'Jane Doe' },
      client: { name: 'PagerDuty' },
      data: {
        id: 'QUNIT00000001',
        type: 'incident',
        html_url: 'https://acme.pagerduty.com/incidents/QUNIT00000001',
        number: 77,
        status: 'triggered',
        created_at: '2026-06-14T09:59:00Z',
        title: 'Unit incident',
        service: { id: 'PSVC001', type: 'service_reference', summary: 'Checkout API' },
        teams: [{ id: 'PTEAM01', type: 'team_reference', summary: 'Payments' }],
        priority: { id: 'PPRIO01', type: 'priority_reference', summary: 'P3' },
        urgency: 'high',
        ...data,
      },
      ...event,
    },
  };
  const rawBody = JSON.stringify(body);
  return pagerdutySource.parse(JSON.parse(rawBody), sourceContext(rawBody, context));
}

function alertOf(overrides: Overrides = {}): Alert {
  return onlyAlertIn(parse(overrides));
}

const fixtureAlert = (name: string): Alert => fixtureAlerts(pagerdutySource, 'pagerduty', name)[0]!;

describe('pagerduty lifecycle identities', () => {
  test('when the trigger, its acknowledgement and its resolution are read, then they share groupKey and alertKey and differ in eventId, in time order', () => {
    const alerts = ['incident-triggered', 'incident-acknowledged', 'incident-resolved'].map(fixtureAlert);
    expect(new Set(alerts.map((a) => a.groupKey)).size).toBe(1);
    expect(new Set(alerts.map((a) => a.alertKey)).size).toBe(1);
    expect(new Set(alerts.map((a) => a.eventId)).size).toBe(3);
    const times = alerts.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(alerts.map((a) => a.transition)).toEqual(['triggered', 'acknowledged', 'recovered']);
  });

  test('when another incident is triggered, then its groupKey differs', () => {
    const other = alertOf({ data: { id: 'QOTHER0000001' } });
    expect(other.groupKey).toBe('pagerduty:incident:QOTHER0000001');
    expect(other.groupKey).not.toBe(fixtureAlert('incident-triggered').groupKey);
  });
});

describe('pagerduty event types', () => {
  test.each([
    ['incident.triggered', 'triggered', 'Triggered by Jane Doe'],
    ['incident.acknowledged', 'acknowledged', 'Acknowledged by Jane Doe'],
    ['incident.unacknowledged', 'retriggered', 'Unacknowledged by Jane Doe'],
    ['incident.resolved', 'recovered', 'Resolved by Jane Doe'],
    ['incident.reopened', 'retriggered', 'Reopened by Jane Doe'],
  ])(
    'when the event type is %s, then the transition is %s and the message "%s"',
    (type, transition, message) => {
      const alert = alertOf({ event: { event_type: type } });
      expect([alert.transition, alert.rawTransition, alert.message]).toEqual([transition, type, message]);
    },
  );

  test('when the event type is written in another case, then it is still tracked and kept as sent', () => {
    const alert = alertOf({ event: { event_type: 'Incident.Resolved' } });
    expect([alert.transition, alert.rawTransition]).toEqual(['recovered', 'Incident.Resolved']);
  });

  test.each([
    'incident.annotated',
    'incident.delegated',
    'incident.escalated',
    'incident.priority_updated',
    'incident.reassigned',
    'incident.responder.added',
    'incident.responder.replied',
    'incident.status_update_published',
    'service.created',
    'pagey.ping',
    'constructor',
    'toString',
    'hasOwnProperty',
  ])('when the event type is %s, then it is ignored, naming it, without reading the data', (type) => {
    expect(parse({ event: { event_type: type, data: 'not read' } })).toEqual({
      alerts: [],
      ignored: `${type} is not tracked`,
    });
  });

  test('when an untracked event type is very long, then the ignored reason repeats only its first 100 characters', () => {
    const type = `incident.${'x'.repeat(300)}`;
    expect(parse({ event: { event_type: type } }).ignored).toBe(`${type.slice(0, 100)} is not tracked`);
  });

  test('when a tracked event type is padded, then the raw transition is trimmed', () => {
    expect(alertOf({ event: { event_type: '  incident.triggered ' } }).rawTransition).toBe(
      'incident.triggered',
    );
  });

  test('when the agent is missing or has no summary, then the message is the verb alone', () => {
    expect(alertOf({ event: { event_type: 'incident.acknowledged', agent: null } }).message).toBe(
      'Acknowledged',
    );
    expect(alertOf({ event: { agent: { id: 'P1', type: 'user_reference' } } }).message).toBe('Triggered');
  });

  test('when the agent is a list, then a ValidationError on event.agent', () => {
    expect(validationFieldOf(() => parse({ event: { agent: ['Jane'] } }))).toBe('event.agent');
  });
});

describe('pagerduty severity', () => {
  test.each([
    ['P1', 'P1'],
    ['P2', 'P2'],
    ['P3', 'P3'],
    ['P4', 'P4'],
    ['P5', 'P5'],
    ['p2', 'P2'],
  ])('when the priority is %s, then the severity is %s whatever the urgency', (summary, severity) => {
    expect(alertOf({ data: { priority: { summary }, urgency: 'low' } }).severity).toBe(severity);
  });

  test.each([
    ['high', 'P2'],
    ['low', 'P4'],
    ['HIGH', 'P2'],
    ['medium', null],
  ])('when there is no priority and the urgency is %s, then the severity is %s', (urgency, severity) => {
    expect(alertOf({ data: { priority: null, urgency } }).severity).toBe(severity);
  });

  test('when the priority is unknown and there is no urgency, then the severity is null', () => {
    expect(alertOf({ data: { priority: { summary: 'Sev 0' }, urgency: undefined } }).severity).toBeNull();
    expect(alertOf({ data: { priority: undefined, urgency: undefined } }).severity).toBeNull();
  });
});

describe('pagerduty times', () => {
  test('when occurred_at has an offset, then the time is in UTC', () => {
    expect(alertOf({ event: { occurred_at: '2026-06-14T12:00:05+02:00' } }).at).toBe(
      '2026-06-14T10:00:05.000Z',
    );
  });

  test('when occurred_at is before 2000, then the receipt time is used, saying so', () => {
    const alert = alertOf({ event: { occurred_at: '1999-12-31T23:59:59Z' } });
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when occurred_at is implausible on a trigger, then created_at is not tried', () => {
    const alert = alertOf({ event: { occurred_at: '2026-06-14T12:00:00Z' } });
    expect(alert.atOrigin).toBe('received');
  });

  test('when a resolution has no occurred_at, then the creation time is not its time: the receipt time is', () => {
    const alert = alertOf({ event: { event_type: 'incident.resolved', occurred_at: undefined } });
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when a trigger has neither occurred_at nor created_at, then the receipt time is used', () => {
    const alert = alertOf({ event: { occurred_at: null }, data: { created_at: undefined } });
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when created_at is not a time on a trigger without occurred_at, then a ValidationError on event.data.created_at', () => {
    expect(
      validationFieldOf(() => parse({ event: { occurred_at: undefined }, data: { created_at: 'soon' } })),
    ).toBe('event.data.created_at');
  });
});

describe('pagerduty identity fields', () => {
  test('when event.id and X-Webhook-Id are both sent, then event.id names the event', () => {
    const header = (name: string) => (name.toLowerCase() === 'x-webhook-id' ? 'delivery-1' : undefined);
    expect(alertOf({ context: { header } }).eventId).toBe('pagerduty:01J0K8UNIT0000000000000001');
    expect(alertOf({ event: { id: undefined }, context: { header } }).eventId).toBe('pagerduty:delivery-1');
  });

  test('when neither event.id nor X-Webhook-Id is sent, then the eventId is the digest of the bytes', () => {
    const first = alertOf({ event: { id: undefined } });
    const again = alertOf({ event: { id: undefined } });
    const other = alertOf({ event: { id: undefined, occurred_at: '2026-06-14T10:00:01Z' } });
    expect(first.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.eventId).toBe(first.eventId);
    expect(other.eventId).not.toBe(first.eventId);
  });

  test('when the incident id sits only under __proto__, then it is not read: a ValidationError on event.data.id', () => {
    const raw =
      '{"event":{"id":"E1","event_type":"incident.triggered","data":{"__proto__":{"id":"QPROTO"},"title":"x"}}}';
    expect(
      validationFieldOf(() =>
        pagerdutySource.parse(JSON.parse(raw), {
          receivedAt: new Date('2026-06-14T10:02:30Z'),
          rawBody: raw,
          serviceTagKeys: ['service'],
          hostTagKeys: ['host'],
          header: () => undefined,
          settings: undefined,
        }),
      ),
    ).toBe('event.data.id');
  });

  test('when there is neither title nor number, then the title names the incident id', () => {
    expect(alertOf({ data: { title: undefined, number: undefined } }).title).toBe(
      'PagerDuty incident QUNIT00000001',
    );
  });

  test('when the title is longer than 500 characters, then it is capped at 500 in the title and the monitor name', () => {
    const alert = alertOf({ data: { title: 'T'.repeat(900) } });
    expect([alert.title.length, alert.monitor.name.length]).toEqual([500, 500]);
  });

  test.each([
    ['http://acme.pagerduty.com/incidents/Q1', 'http://acme.pagerduty.com/incidents/Q1'],
    ['HTTPS://ACME.PAGERDUTY.COM/incidents/Q1', 'HTTPS://ACME.PAGERDUTY.COM/incidents/Q1'],
    ['ftp://acme.pagerduty.com/incidents/Q1', null],
    ['acme.pagerduty.com/https://x', null],
    [undefined, null],
  ])('when the html_url is %s, then the monitor url is %s', (url, expected) => {
    expect(alertOf({ data: { html_url: url } }).monitor.url).toBe(expected);
  });
});

describe('pagerduty labels', () => {
  test('when hostTagKeys names team, then the teams are hosts; services keep the incident service', () => {
    const alert = alertOf({ context: { hostTagKeys: ['team'], serviceTagKeys: ['urgency'] } });
    expect(alert.hosts).toEqual(['Payments']);
    expect(alert.services).toEqual(['Checkout API', 'high']);
  });

  test('when the incident has no service, then there are no services and no service label', () => {
    const alert = alertOf({ data: { service: undefined } });
    expect(alert.services).toEqual([]);
    expect(alert.tags.some((t) => t.key === 'service')).toBe(false);
  });

  test('when a team has no summary, or one team is listed twice, then each team label appears once', () => {
    const team = { id: 'PTEAM01', summary: 'Payments' };
    const alert = alertOf({ data: { teams: [team, { id: 'PNONAME' }, team] } });
    expect(alert.tags.filter((t) => t.key === 'team')).toEqual([{ key: 'team', value: 'Payments' }]);
  });

  test('when a team is a string, then a ValidationError naming that team', () => {
    expect(validationFieldOf(() => parse({ data: { teams: [{ summary: 'A' }, 'B'] } }))).toBe(
      'event.data.teams[1]',
    );
  });

  test('when a team summary is an object, then a ValidationError naming it', () => {
    expect(validationFieldOf(() => parse({ data: { teams: [{ summary: { x: 1 } }] } }))).toBe(
      'event.data.teams[0].summary',
    );
  });

  test('when 500 teams are listed, then they are read into the 500 labels (the service first); 501 are refused on event.data.teams', () => {
    const teams = (n: number) => Array.from({ length: n }, (_, i) => ({ summary: `team-${i}` }));
    const tags = alertOf({ data: { teams: teams(500) } }).tags;
    expect([tags.length, tags[0]?.key, tags.filter((t) => t.key === 'team').length]).toEqual([
      500,
      'service',
      499,
    ]);
    expect(validationFieldOf(() => parse({ data: { teams: teams(501) } }))).toBe('event.data.teams');
  });

  test('when the service is a string, then a ValidationError on event.data.service', () => {
    expect(validationFieldOf(() => parse({ data: { service: 'Checkout API' } }))).toBe('event.data.service');
  });
});

describe('pagerduty merge resolutions', () => {
  const resolved = (resolve_reason: unknown, event_type = 'incident.resolved') =>
    alertOf({ event: { event_type }, data: { resolve_reason } }).message;

  test('when the merge names the incident only by id, then the message names the id', () => {
    expect(resolved({ type: 'merge_resolve_reason', incident: { id: 'QPARENT' } })).toBe(
      'Resolved by Jane Doe: merged into QPARENT',
    );
  });

  test('when the merge names no incident, then the message says another incident', () => {
    expect(resolved({ type: 'merge_resolve_reason' })).toBe(
      'Resolved by Jane Doe: merged into another incident',
    );
    expect(resolved({ type: 'merge_resolve_reason', incident: {} })).toBe(
      'Resolved by Jane Doe: merged into another incident',
    );
  });

  test('when the resolve reason is of another type or null, then the message does not speak of a merge', () => {
    expect(resolved({ type: 'timeout_resolve_reason', incident: { id: 'Q' } })).toBe('Resolved by Jane Doe');
    expect(resolved(null)).toBe('Resolved by Jane Doe');
  });

  test('when a non-resolution carries a resolve reason, then it is not read', () => {
    expect(resolved('not read', 'incident.reopened')).toBe('Reopened by Jane Doe');
  });

  test('when the resolve reason of a resolution is a string, then a ValidationError on it', () => {
    expect(validationFieldOf(() => resolved('merged'))).toBe('event.data.resolve_reason');
  });
});

describe('pagerduty payload shape', () => {
  test.each([
    [null, 'payload'],
    ['text', 'payload'],
    [{ event: [] }, 'event'],
    [{ event: { event_type: '' } }, 'event.event_type'],
    [{ event: { event_type: 'incident.triggered' } }, 'event.data'],
    [{ event: { event_type: 'incident.triggered', data: { id: { x: 1 } } } }, 'event.data.id'],
  ])('when the body is %j, then a ValidationError on %s', (body, field) => {
    expect(validationFieldOf(() => parseBody(pagerdutySource, body))).toBe(field);
  });

  test('when the source is defined, then it is pagerduty, takes JSON only and signs with X-PagerDuty-Signature', () => {
    expect([pagerdutySource.name, pagerdutySource.bodyFormats, pagerdutySource.signature?.header]).toEqual([
      'pagerduty',
      ['json'],
      'X-PagerDuty-Signature',
    ]);
    expect(pagerdutySource.settings).toBeUndefined();
  });
});

describe('pagerduty signatures', () => {
  const secret = 'pd-subscription-secret';
  const raw = Buffer.from('{"event":{"id":"E1","event_type":"incident.triggered"}}', 'utf8');
  const verify = (header: string | undefined, body: Buffer = raw, key: string = secret) =>
    verifyPagerDutySignature(
      {
        raw: body,
        header: (name) => (name.toLowerCase() === 'x-pagerduty-signature' ? header : undefined),
        now: new Date('2026-06-14T10:02:30Z'),
        toleranceSeconds: 300,
      },
      key,
    );

  test('when the body is signed with the secret, then it verifies, and the signature is v1= and 64 hex digits', () => {
    const signature = signPagerDutyBody(raw, secret);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signature).toBe(signPagerDutyBody(raw.toString('utf8'), secret));
    expect(verify(signature)).toBe(true);
  });

  test('when it is signed with another secret, or the body changed, then it does not verify', () => {
    expect(verify(signPagerDutyBody(raw, 'another-secret'))).toBe(false);
    expect(verify(signPagerDutyBody(raw, secret), Buffer.from(`${raw.toString()} `))).toBe(false);
  });

  test('when no signature header is sent, or it is empty, then it does not verify', () => {
    expect(verify(undefined)).toBe(false);
    expect(verify('')).toBe(false);
  });

  test('when the secret is being rotated and the header holds two values, then either one matching verifies', () => {
    const ours = signPagerDutyBody(raw, secret);
    const theirs = signPagerDutyBody(raw, 'the-old-secret');
    expect(verify(`${theirs},${ours}`)).toBe(true);
    expect(verify(`${ours}, ${theirs}`)).toBe(true);
    expect(verify(`${theirs},${signPagerDutyBody(raw, 'the-new-secret')}`)).toBe(false);
  });

  test('when the hex is upper case, then it still verifies', () => {
    const hex = signPagerDutyBody(raw, secret).slice(3).toUpperCase();
    expect(verify(`v1=${hex}`)).toBe(true);
  });

  test.each([
    ['another version', (s: string) => s.replace('v1=', 'v0=')],
    ['no version', (s: string) => s.slice(3)],
    ['a short digest', (s: string) => s.slice(0, -2)],
    ['a long digest', (s: string) => `${s}00`],
    ['non-hex digits', (s: string) => `${s.slice(0, -1)}g`],
    ['text around it', (s: string) => `x${s}`],
  ])('when the value has %s, then it does not verify and nothing is thrown', (_what, damage) => {
    expect(verify(damage(signPagerDutyBody(raw, secret)))).toBe(false);
  });

  test('when the matching value comes after eight others, then it is not read', () => {
    const others = Array.from({ length: 8 }, (_, i) => signPagerDutyBody(raw, `old-${i}`));
    const ours = signPagerDutyBody(raw, secret);
    expect(verify([...others.slice(1), ours].join(','))).toBe(true);
    expect(verify([...others, ours].join(','))).toBe(false);
  });

  test('when the request is old, then it still verifies: PagerDuty signs no timestamp, so there is none to expire', () => {
    const signature = signPagerDutyBody(raw, secret);
    expect(
      verifyPagerDutySignature(
        { raw, header: () => signature, now: new Date('2030-01-01T00:00:00Z'), toleranceSeconds: 0 },
        secret,
      ),
    ).toBe(true);
  });

  test('when the source verifies, then it uses this check', () => {
    const signature = signPagerDutyBody(raw, secret);
    const request = { raw, header: () => signature, now: new Date(), toleranceSeconds: 300 };
    expect(pagerdutySource.signature?.verify(request, secret)).toBe(true);
    expect(pagerdutySource.signature?.verify(request, 'wrong')).toBe(false);
  });
});
