import type { Alert } from '../../src/domain/alert';
import type { SourceContext, SourceResult } from '../../src/sources';
import { digestOf } from '../../src/payloads/values';
import { opsgenieSource } from '../../src/sources/opsgenie/opsgenie.source';
import { fixtureAlerts, onlyAlertIn, sourceContext, validationFieldOf } from '../helpers/source-tests';

const ALERT_ID = 'a1b2c3d4-0000-4000-8000-000000000001';

/** The raw text of a webhook: `alert` fields replace (or, as undefined, remove) the defaults. */
function rawOf(action: unknown, alert: Record<string, unknown> = {}): string {
  return JSON.stringify({
    action,
    alert: {
      alertId: ALERT_ID,
      message: 'Unit alert',
      tags: ['service:checkout-api', 'host:web-1'],
      tinyId: '77',
      alias: 'unit-alias',
      createdAt: 1781431200000,
      updatedAt: 1781431260000000000,
      username: 'jane.doe@example.com',
      priority: 'P3',
      ...alert,
    },
    source: { name: '', type: 'web' },
    integrationName: 'Hindsight',
  });
}

function parseRaw(raw: string, context: Partial<SourceContext> = {}): SourceResult {
  return opsgenieSource.parse(JSON.parse(raw), sourceContext(raw, context));
}

function alertOf(action: unknown, alert: Record<string, unknown> = {}, context: Partial<SourceContext> = {}) {
  return onlyAlertIn(parseRaw(rawOf(action, alert), context));
}

const fixtureAlert = (name: string): Alert => fixtureAlerts(opsgenieSource, 'opsgenie', name)[0]!;

describe('opsgenie lifecycle identities', () => {
  test('when the alert is created, acknowledged and closed, then all three share groupKey, alertKey and cycleKey and differ in eventId, in time order', () => {
    const alerts = ['create', 'acknowledge', 'close'].map(fixtureAlert);
    expect(new Set(alerts.map((a) => a.groupKey)).size).toBe(1);
    expect(new Set(alerts.map((a) => a.alertKey)).size).toBe(1);
    expect(new Set(alerts.map((a) => a.cycleKey)).size).toBe(1);
    expect(new Set(alerts.map((a) => a.eventId)).size).toBe(3);
    const times = alerts.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test('when the same alias alerts again as a new Opsgenie alert, then the groupKey is the same and the cycleKey is the new alertId', () => {
    const first = alertOf('Create');
    const again = alertOf('Create', { alertId: 'a1b2c3d4-0000-4000-8000-000000000002' });
    expect(again.groupKey).toBe(first.groupKey);
    expect([first.cycleKey, again.cycleKey]).toEqual([ALERT_ID, 'a1b2c3d4-0000-4000-8000-000000000002']);
    expect(again.monitor.id).toBe('a1b2c3d4-0000-4000-8000-000000000002');
  });

  test('when the alias is blank or padded, then a blank one gives way to the alertId and a padded one is trimmed', () => {
    expect(alertOf('Create', { alias: '   ' }).groupKey).toBe(`opsgenie:${ALERT_ID}`);
    expect(alertOf('Create', { alias: undefined }).groupKey).toBe(`opsgenie:${ALERT_ID}`);
    expect(alertOf('Create', { alias: ' unit-alias ' }).alertKey).toBe('opsgenie:unit-alias|*');
  });
});

describe('opsgenie actions', () => {
  test.each([
    ['Create', 'triggered'],
    ['Acknowledge', 'acknowledged'],
    ['Close', 'recovered'],
    ['close', 'recovered'],
    ['ACKNOWLEDGE', 'acknowledged'],
  ])(
    'when the action is %s, then the transition is %s and the raw transition is the action',
    (action, transition) => {
      const alert = alertOf(action);
      expect([alert.transition, alert.rawTransition, alert.isTest, alert.scope]).toEqual([
        transition,
        action,
        false,
        null,
      ]);
    },
  );

  test.each([
    'AddNote',
    'UnAcknowledge',
    'Escalate',
    'AssignOwnership',
    'TakeOwnership',
    'AddTags',
    'RemoveTags',
    'AddTeam',
    'AddRecipient',
    'AddResponder',
    'UpdatePriority',
    'Snooze',
    'Delete',
    '__proto__',
    'constructor',
    'toString',
  ])('when the action is %s, then it is ignored, naming it, without reading the alert', (action) => {
    const raw = JSON.stringify({ action, alert: 'not read' });
    expect(parseRaw(raw)).toEqual({ alerts: [], ignored: `${action} is not tracked` });
  });

  test('when an untracked action is very long, then the ignored reason repeats only its first 100 characters', () => {
    const action = 'A'.repeat(300);
    expect(parseRaw(rawOf(action)).ignored).toBe(`${'A'.repeat(100)} is not tracked`);
  });
});

describe('opsgenie severity', () => {
  test.each([
    ['P1', 'P1'],
    ['P2', 'P2'],
    ['P3', 'P3'],
    ['P4', 'P4'],
    ['P5', 'P5'],
    ['p4', 'P4'],
    [1, 'P1'],
    [2, 'P2'],
    [3, 'P3'],
    [4, 'P4'],
    [5, 'P5'],
    ['5', 'P5'],
    ['critical', null],
    [6, null],
    [undefined, null],
  ])('when the priority is %j, then the severity is %s', (priority, severity) => {
    expect(alertOf('Create', { priority }).severity).toBe(severity);
  });
});

describe('opsgenie messages', () => {
  test('when a Create has a description and a note, then the description is the message; with only a note, the note', () => {
    expect(alertOf('Create', { description: 'Described', note: 'Noted' }).message).toBe('Described');
    expect(alertOf('Create', { note: 'Noted' }).message).toBe('Noted');
  });

  test('when an Acknowledge or Close has no username, then the message is the verb, with the note when there is one', () => {
    expect(alertOf('Acknowledge', { username: undefined }).message).toBe('Acknowledged');
    expect(alertOf('Close', { username: '', note: 'Fixed.' }).message).toBe('Closed: Fixed.');
    expect(alertOf('Close', { description: 'not the message' }).message).toBe(
      'Closed by jane.doe@example.com',
    );
  });

  test('when the note or the description is very long, then the message is capped at 4000 characters', () => {
    expect(alertOf('Close', { note: 'n'.repeat(5000) }).message).toHaveLength(4000);
    expect(alertOf('Create', { description: 'd'.repeat(5000) }).message).toHaveLength(4000);
    expect(alertOf('Create', { note: 'n'.repeat(5000) }).message).toHaveLength(4000);
  });

  test('when there is no message, then the title names the tiny id, else the alertId; a long one is capped at 500', () => {
    expect(alertOf('Create', { message: undefined }).title).toBe('Opsgenie alert #77');
    expect(alertOf('Create', { message: '', tinyId: undefined }).monitor.name).toBe(
      `Opsgenie alert ${ALERT_ID}`,
    );
    const long = alertOf('Create', { message: 'm'.repeat(900) });
    expect([long.title.length, long.monitor.name.length]).toEqual([500, 500]);
  });

  test('when the username is an object, then a ValidationError on alert.username', () => {
    expect(validationFieldOf(() => alertOf('Acknowledge', { username: { name: 'jane' } }))).toBe(
      'alert.username',
    );
  });
});

describe('opsgenie times', () => {
  test('when a Create has no createdAt, or a null one, then its time is updatedAt in nanoseconds', () => {
    expect(alertOf('Create', { createdAt: undefined }).at).toBe('2026-06-14T10:01:00.000Z');
    expect(alertOf('Create', { createdAt: null }).atOrigin).toBe('source');
  });

  test('when a Create has createdAt as a digit string, then it is read in milliseconds', () => {
    expect(alertOf('Create', { createdAt: '1781431200500' }).at).toBe('2026-06-14T10:00:00.500Z');
  });

  test('when createdAt is implausible, then the receipt time is used, not updatedAt', () => {
    const alert = alertOf('Create', { createdAt: 946684700000 });
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when an Acknowledge also carries createdAt, then its time is still updatedAt', () => {
    expect(alertOf('Acknowledge').at).toBe('2026-06-14T10:01:00.000Z');
  });

  test('when a Close has no updatedAt, then the receipt time is used and the eventId is the digest of the bytes', () => {
    const alert = alertOf('Close', { updatedAt: undefined });
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
    expect(alert.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('when updatedAt is an object, then a ValidationError on alert.updatedAt', () => {
    expect(validationFieldOf(() => alertOf('Close', { updatedAt: { ns: 1 } }))).toBe('alert.updatedAt');
  });
});

describe('opsgenie event ids', () => {
  const withUpdatedAt = (digits: string) =>
    rawOf('Close').replace('"updatedAt":1781431260000000000', `"updatedAt":${digits}`);

  test('when two updates differ only in digits JSON.parse rounds away, then their eventIds still differ: the digits come from the raw body', () => {
    const a = withUpdatedAt('1781432400123456789');
    const b = withUpdatedAt('1781432400123456790');
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
    const [first, second] = [parseRaw(a).alerts[0]!, parseRaw(b).alerts[0]!];
    expect(first.eventId).toBe(`opsgenie:${digestOf(ALERT_ID, 'Close', '1781432400123456789')}`);
    expect(second.eventId).toBe(`opsgenie:${digestOf(ALERT_ID, 'Close', '1781432400123456790')}`);
  });

  test('when the same webhook is delivered again, then the eventId is the same', () => {
    const raw = withUpdatedAt('1781432400123456789');
    expect(parseRaw(raw).alerts[0]!.eventId).toBe(parseRaw(raw).alerts[0]!.eventId);
  });

  test('when the raw body does not hold the number, then the eventId uses the number as JavaScript writes it', () => {
    const raw = withUpdatedAt('1781432400123456789');
    const alert = opsgenieSource.parse(JSON.parse(raw), sourceContext('{}')).alerts[0]!;
    expect(alert.eventId).toBe(`opsgenie:${digestOf(ALERT_ID, 'Close', String(1781432400123456789))}`);
  });

  test('when other fields hold big numbers, then only an updatedAt number of the same value is read', () => {
    const raw = withUpdatedAt('1781432400123456789')
      .replace('"alertId"', '"details":{"updatedAt":1781432400999999999},"alertId"')
      .replace('"priority":"P3"', '"priority":"P3","insertedAt":1781432400123456790');
    expect(parseRaw(raw).alerts[0]!.eventId).toBe(
      `opsgenie:${digestOf(ALERT_ID, 'Close', '1781432400123456789')}`,
    );
  });

  test('when updatedAt is a safe integer or a padded string, then its digits are used as written', () => {
    expect(alertOf('Close', { updatedAt: 1781431260000 }).eventId).toBe(
      `opsgenie:${digestOf(ALERT_ID, 'Close', '1781431260000')}`,
    );
    expect(alertOf('Close', { updatedAt: ' 1781431260000000001 ' }).eventId).toBe(
      `opsgenie:${digestOf(ALERT_ID, 'Close', '1781431260000000001')}`,
    );
  });

  test('when the action differs for the same update time, then the eventId differs', () => {
    expect(alertOf('Acknowledge').eventId).not.toBe(alertOf('Close').eventId);
  });
});

describe('opsgenie labels', () => {
  test('when details carry a key named in SERVICE_TAG_KEYS, then it is a service, in the order of the labels (tags, then details)', () => {
    const alert = alertOf(
      'Create',
      { details: { app: 'cart', service: 'payments' } },
      { serviceTagKeys: ['service', 'app'] },
    );
    expect(alert.services).toEqual(['checkout-api', 'cart', 'payments']);
  });

  test('when the entity is set and no key lists it, then it is only a label, last, and counted once', () => {
    const alert = alertOf('Create', { entity: 'web-9', tags: ['entity:web-9', 'host:web-1'] });
    expect(alert.hosts).toEqual(['web-1']);
    expect(alert.tags).toEqual([
      { key: 'entity', value: 'web-9' },
      { key: 'host', value: 'web-1' },
    ]);
  });

  test('when tags hold non-strings, then those are skipped', () => {
    expect(alertOf('Create', { tags: [1, null, { a: 1 }, 'env:prod'] }).tags).toEqual([
      { key: 'env', value: 'prod' },
    ]);
  });

  test('when 500 tags are sent, then they are read; 501 are refused on alert.tags', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}:v`);
    expect(alertOf('Create', { tags: tags(500) }).tags).toHaveLength(500);
    expect(validationFieldOf(() => alertOf('Create', { tags: tags(501) }))).toBe('alert.tags');
  });

  test('when details are a list, then a ValidationError on alert.details; nested values are skipped', () => {
    expect(validationFieldOf(() => alertOf('Create', { details: ['a'] }))).toBe('alert.details');
    expect(alertOf('Create', { tags: [], details: { a: { b: 1 }, c: 'd' } }).tags).toEqual([
      { key: 'c', value: 'd' },
    ]);
  });

  test('when the entity is an object, then a ValidationError on alert.entity', () => {
    expect(validationFieldOf(() => alertOf('Create', { entity: { host: 'x' } }))).toBe('alert.entity');
  });
});

describe('opsgenie payload shape', () => {
  test.each([
    ['null', 'payload'],
    ['"Create"', 'payload'],
    ['{"action":{"type":"Create"}}', 'action'],
    ['{"action":"  "}', 'action'],
    ['{"action":"Create"}', 'alert'],
    ['{"action":"Create","alert":{"alertId":["x"]}}', 'alert.alertId'],
    ['{"action":"Create","alert":{"alertId":"x","alias":{"a":1}}}', 'alert.alias'],
  ])('when the body is %s, then a ValidationError on %s', (raw, field) => {
    expect(validationFieldOf(() => parseRaw(raw))).toBe(field);
  });

  test('when the alertId sits only under __proto__, then it is not read: a ValidationError on alert.alertId', () => {
    expect(
      validationFieldOf(() => parseRaw('{"action":"Create","alert":{"__proto__":{"alertId":"x"}}}')),
    ).toBe('alert.alertId');
  });

  test('when the source is defined, then it is opsgenie, takes JSON only, and neither signs nor has settings', () => {
    expect([opsgenieSource.name, opsgenieSource.bodyFormats]).toEqual(['opsgenie', ['json']]);
    expect([opsgenieSource.signature, opsgenieSource.settings]).toEqual([undefined, undefined]);
  });
});
