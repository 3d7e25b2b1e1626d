import { runInNewContext } from 'node:vm';
import type { Alert } from '../../src/domain/alert';
import type { ValidationError } from '../../src/errors';
import type { SourceContext, SourceResult } from '../../src/sources';
import { LIMITS, digestOf } from '../../src/payloads/values';
import {
  ZABBIX_MEDIA_TYPE_PARAMETERS,
  ZABBIX_MEDIA_TYPE_SCRIPT,
  parseZabbixWebhook,
  type ZabbixSettings,
} from '../../src/sources/zabbix/zabbix.adapter';
import { isAcknowledgement, severityOf, transitionOfValue } from '../../src/sources/zabbix/zabbix.mappings';
import { isUnrendered } from '../../src/sources/zabbix/zabbix.payload';
import { isTimeZone } from '../../src/payloads/times';
import { zabbixSettingsSchema, zabbixSource } from '../../src/sources/zabbix/zabbix.source';
import { onlyAlertIn, onlyFixtureAlert, sourceContext, validationErrorOf } from '../helpers/source-tests';

const NAME = 'zabbix';

/** The context of a request to a Zabbix source whose server writes its dates in `zone`. */
function contextFor(
  rawBody: string,
  zone = 'Europe/Paris',
  overrides: Partial<SourceContext<ZabbixSettings>> = {},
): SourceContext<ZabbixSettings> {
  return { ...sourceContext(rawBody), settings: { ZABBIX_TIMEZONE: zone }, ...overrides };
}

function parse(
  body: unknown,
  zone = 'Europe/Paris',
  overrides: Partial<SourceContext<ZabbixSettings>> = {},
): SourceResult {
  return parseZabbixWebhook(body, contextFor(JSON.stringify(body) ?? '', zone, overrides));
}

function alertOf(
  body: unknown,
  zone = 'Europe/Paris',
  overrides: Partial<SourceContext<ZabbixSettings>> = {},
): Alert {
  return onlyAlertIn(parse(body, zone, overrides));
}

const errorOf = (body: unknown): ValidationError => validationErrorOf(() => parse(body));

/** A problem notification of event 4711, as the media type posts it; `changes` replace or add parameters. */
function problem(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: '4711',
    event_name: 'MySQL is down on db-1',
    trigger_id: '23150',
    host: 'db-1',
    severity: 'High',
    nseverity: '4',
    value: '1',
    update_status: '0',
    update_action: '{EVENT.UPDATE.ACTION}',
    user: '{USER.FULLNAME}',
    date: '2026.06.14',
    time: '12:00:00',
    recovery_date: '{EVENT.RECOVERY.DATE}',
    recovery_time: '{EVENT.RECOVERY.TIME}',
    update_date: '{EVENT.UPDATE.DATE}',
    update_time: '{EVENT.UPDATE.TIME}',
    tags: '[{"tag":"service","value":"mysql"}]',
    message: 'Problem started',
    url: 'https://zabbix.example.com/tr_events.php?triggerid=23150&eventid=4711',
    ...changes,
  };
}

const recovery = (changes: Record<string, unknown> = {}) =>
  problem({ value: '0', recovery_date: '2026.06.14', recovery_time: '12:04:00', ...changes });

const acknowledgementOf = (changes: Record<string, unknown> = {}) =>
  problem({
    update_status: '1',
    update_action: 'acknowledged',
    user: 'Ana Lopez',
    update_message: 'On it',
    update_date: '2026.06.14',
    update_time: '12:02:00',
    ...changes,
  });

describe('zabbix source definition and settings', () => {
  test('when the source is read, then it is named zabbix, takes JSON only, has settings and no signature', () => {
    expect(zabbixSource.name).toBe('zabbix');
    expect(zabbixSource.bodyFormats).toEqual(['json']);
    expect(zabbixSource.signature).toBeUndefined();
    expect(zabbixSource.settings).toBe(zabbixSettingsSchema);
  });

  test('when ZABBIX_TIMEZONE is not set, then it is UTC; when set to a zone, it is that zone, trimmed', () => {
    expect(zabbixSettingsSchema.parse({})).toEqual({ ZABBIX_TIMEZONE: 'UTC' });
    expect(zabbixSettingsSchema.parse({ ZABBIX_TIMEZONE: 'Europe/Paris' })).toEqual({
      ZABBIX_TIMEZONE: 'Europe/Paris',
    });
    expect(zabbixSettingsSchema.parse({ ZABBIX_TIMEZONE: ' Asia/Tokyo ' })).toEqual({
      ZABBIX_TIMEZONE: 'Asia/Tokyo',
    });
  });

  test.each(['Mars/Olympus', '', 'Paris', '+01:00'])(
    'when ZABBIX_TIMEZONE is %j, then it is refused as no IANA time zone',
    (zone) => {
      const parsed = zabbixSettingsSchema.safeParse({ ZABBIX_TIMEZONE: zone });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['ZABBIX_TIMEZONE', 'must be an IANA time zone such as Europe/Paris'],
      ]);
    },
  );

  test('when a zone is checked, then Intl decides', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Nowhere/Else')).toBe(false);
  });
});

describe('zabbix media type', () => {
  test('when the parameters are read, then each macro the adapter reads is there under its field name', () => {
    expect(ZABBIX_MEDIA_TYPE_PARAMETERS).toMatchObject({
      event_id: '{EVENT.ID}',
      event_name: '{EVENT.NAME}',
      trigger_id: '{TRIGGER.ID}',
      host: '{HOST.NAME}',
      severity: '{EVENT.SEVERITY}',
      nseverity: '{EVENT.NSEVERITY}',
      value: '{EVENT.VALUE}',
      update_status: '{EVENT.UPDATE.STATUS}',
      update_action: '{EVENT.UPDATE.ACTION}',
      update_message: '{EVENT.UPDATE.MESSAGE}',
      user: '{USER.FULLNAME}',
      date: '{EVENT.DATE}',
      time: '{EVENT.TIME}',
      recovery_date: '{EVENT.RECOVERY.DATE}',
      recovery_time: '{EVENT.RECOVERY.TIME}',
      update_date: '{EVENT.UPDATE.DATE}',
      update_time: '{EVENT.UPDATE.TIME}',
      tags: '{EVENT.TAGSJSON}',
      message: '{ALERT.MESSAGE}',
    });
  });

  test('when the script runs with rendered parameters, then it posts them as JSON with the Authorization header, without the Hindsight parameters', () => {
    const sent: { headers: string[]; url?: string; body?: string } = { headers: [] };
    class HttpRequest {
      addHeader(header: string) {
        sent.headers.push(header);
      }
      post(url: string, body: string) {
        sent.url = url;
        sent.body = body;
        return '{"accepted":[]}';
      }
      getStatus() {
        return 202;
      }
    }
    const params = {
      ...problem(),
      hindsight_url: 'https://h.example.com/webhooks/zabbix',
      hindsight_authorization: 'Bearer t0ken',
    };
    const result: unknown = runInNewContext(`(function () {\n${ZABBIX_MEDIA_TYPE_SCRIPT}\n})()`, {
      value: JSON.stringify(params),
      HttpRequest,
    });
    expect(result).toBe('OK');
    expect(sent.url).toBe('https://h.example.com/webhooks/zabbix');
    expect(sent.headers).toEqual(['Content-Type: application/json', 'Authorization: Bearer t0ken']);
    expect(JSON.parse(sent.body!)).toEqual(problem());
    expect(alertOf(JSON.parse(sent.body!)).groupKey).toBe('zabbix:problem:4711');
  });

  test.each([
    [199, false],
    [200, true],
    [299, true],
    [300, false],
    [503, false],
  ])(
    'when Hindsight answers %s, then the script succeeds: %s (else it throws the status, so Zabbix retries)',
    (status, ok) => {
      class HttpRequest {
        addHeader(this: void) {
          return undefined;
        }
        post(this: void) {
          return '{"error":"unavailable"}';
        }
        getStatus(this: void) {
          return status;
        }
      }
      const run = () =>
        runInNewContext(`(function () {\n${ZABBIX_MEDIA_TYPE_SCRIPT}\n})()`, {
          value: JSON.stringify({ hindsight_url: 'https://h', hindsight_authorization: 'Bearer x' }),
          HttpRequest,
        }) as unknown;
      if (ok) expect(run()).toBe('OK');
      else expect(run).toThrow(`Hindsight answered ${status}: {"error":"unavailable"}`);
    },
  );
});

describe('zabbix problem, recovery and acknowledgement', () => {
  test('when the lifecycle fixtures are parsed, then they share groupKey and alertKey, differ in eventId, and the recovery comes later', () => {
    const trigger = onlyFixtureAlert(zabbixSource, NAME, 'problem-trigger');
    const recovered = onlyFixtureAlert(zabbixSource, NAME, 'recovery');
    expect(recovered.groupKey).toBe(trigger.groupKey);
    expect(recovered.alertKey).toBe(trigger.alertKey);
    expect(recovered.eventId).not.toBe(trigger.eventId);
    expect([trigger.transition, recovered.transition]).toEqual(['triggered', 'recovered']);
    expect(Date.parse(recovered.at)).toBeGreaterThan(Date.parse(trigger.at));
  });

  test('when the problem is acknowledged, then the acknowledgement joins the same problem group and alert', () => {
    const trigger = onlyFixtureAlert(zabbixSource, NAME, 'problem-trigger');
    const acknowledged = onlyFixtureAlert(zabbixSource, NAME, 'update-acknowledged');
    expect([acknowledged.groupKey, acknowledged.alertKey]).toEqual([trigger.groupKey, trigger.alertKey]);
    expect(acknowledged.eventId).not.toBe(trigger.eventId);
  });

  test('when a problem, its recovery and an acknowledgement arrive, then each eventId digests the event id, value, update status and time', () => {
    expect(alertOf(problem()).eventId).toBe(`zabbix:${digestOf('4711', '1', '0', '2026-06-14 12:00:00')}`);
    expect(alertOf(recovery()).eventId).toBe(`zabbix:${digestOf('4711', '0', '0', '2026-06-14 12:04:00')}`);
    expect(alertOf(acknowledgementOf()).eventId).toBe(
      `zabbix:${digestOf('4711', '1', '1', '2026-06-14 12:02:00', 'acknowledged', 'Ana Lopez')}`,
    );
  });

  test('when an acknowledgement carries no {EVENT.VALUE}, then it is still read, its eventId without a value', () => {
    expect(alertOf(acknowledgementOf({ value: undefined })).eventId).toBe(
      `zabbix:${digestOf('4711', '', '1', '2026-06-14 12:02:00', 'acknowledged', 'Ana Lopez')}`,
    );
  });

  test('when two people acknowledge at the same second, then their acknowledgements are two events', () => {
    expect(alertOf(acknowledgementOf({ user: 'Bo Chen' })).eventId).not.toBe(
      alertOf(acknowledgementOf()).eventId,
    );
  });

  test('when Zabbix retries the same notification, then the eventId is the same', () => {
    expect(alertOf(problem()).eventId).toBe(alertOf(problem({ message: 'resent' })).eventId);
  });

  test('when a problem has no time, then its eventId still digests its identity, and the alert takes the receipt time', () => {
    const alert = alertOf(problem({ date: '{EVENT.DATE}', time: '{EVENT.TIME}', value: 1 }));
    expect(alert.eventId).toBe(`zabbix:${digestOf('4711', '1', '0', '')}`);
    expect(alert).toMatchObject({ at: '2026-06-14T10:02:30.000Z', atOrigin: 'received' });
  });

  test.each([
    ['1', 'triggered', 'problem'],
    ['0', 'recovered', 'recovery'],
  ])('when {EVENT.VALUE} is %s, then it is %s (%s)', (value, transition, raw) => {
    expect(transitionOfValue(value)).toEqual({ transition, raw });
  });

  test.each(['2', 'PROBLEM', '__proto__', ''])(
    'when {EVENT.VALUE} is %j, then it is no transition',
    (value) => {
      expect(transitionOfValue(value)).toBeNull();
    },
  );

  test('when {EVENT.VALUE} is missing or unrendered, then the payload is refused saying it is required', () => {
    expect(errorOf(problem({ value: undefined })).message).toBe('value: is required (send {EVENT.VALUE})');
    expect(errorOf(problem({ value: '{EVENT.VALUE}' })).message).toBe(
      'value: is required (send {EVENT.VALUE})',
    );
    expect(errorOf(problem({ value: '3' })).message).toBe('value: must be 1 (problem) or 0 (recovery)');
  });

  test('when {EVENT.UPDATE.STATUS} is missing or unrendered, then the notification is a problem or recovery', () => {
    expect(alertOf(problem({ update_status: undefined })).transition).toBe('triggered');
    expect(alertOf(problem({ update_status: '{EVENT.UPDATE.STATUS}' })).transition).toBe('triggered');
    expect(alertOf(problem({ update_status: 0 })).transition).toBe('triggered');
  });

  test('when an update acknowledges, then the alert is acknowledged, at the update time, naming the user and their message', () => {
    expect(alertOf(acknowledgementOf())).toMatchObject({
      transition: 'acknowledged',
      rawTransition: 'acknowledged',
      at: '2026-06-14T10:02:00.000Z',
      atOrigin: 'source',
      message: 'Acknowledged by Ana Lopez: On it',
      groupKey: 'zabbix:problem:4711',
      severity: 'P2',
      cycleKey: '4711',
    });
  });

  test('when an acknowledgement lacks the user or the message, then the message says what is known', () => {
    expect(alertOf(acknowledgementOf({ update_message: '{EVENT.UPDATE.MESSAGE}' })).message).toBe(
      'Acknowledged by Ana Lopez',
    );
    expect(alertOf(acknowledgementOf({ user: '{USER.FULLNAME}' })).message).toBe(
      'Acknowledged in Zabbix: On it',
    );
    expect(alertOf(acknowledgementOf({ user: undefined, update_message: '' })).message).toBe(
      'Acknowledged in Zabbix',
    );
    expect(alertOf(acknowledgementOf({ update_message: 'm'.repeat(LIMITS.message) })).message).toHaveLength(
      LIMITS.message,
    );
  });

  test('when an acknowledgement has no update time, then it takes the receipt time, not the problem start', () => {
    expect(
      alertOf(acknowledgementOf({ update_date: '{EVENT.UPDATE.DATE}', update_time: '{EVENT.UPDATE.TIME}' })),
    ).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test.each(['commented', 'unacknowledged', 'changed severity from Average to High', 'closed', 'suppressed'])(
    'when an update only %s, then it is ignored naming the action',
    (action) => {
      expect(parse(acknowledgementOf({ update_action: action }))).toEqual({
        alerts: [],
        ignored: `problem update ${JSON.stringify(action)} is not tracked`,
      });
    },
  );

  test('when an update names no action, then it is ignored saying so', () => {
    expect(parse(acknowledgementOf({ update_action: '{EVENT.UPDATE.ACTION}' })).ignored).toBe(
      'problem update "without an action" is not tracked',
    );
  });

  test('when {EVENT.UPDATE.STATUS} is neither 0 nor 1, then the payload is refused naming update_status', () => {
    expect(errorOf(problem({ update_status: 'yes' })).field).toBe('update_status');
  });

  test.each([
    ['acknowledged', true],
    ['Acknowledged', true],
    ['acknowledged, commented', true],
    ['commented, acknowledged', true],
    ['acknowledged and commented', true],
    ['changed severity from Average to High and acknowledged', true],
    ['unacknowledged', false],
    ['unacknowledged, commented', false],
    ['commented', false],
    ['acknowledged by bot', false],
    ['', false],
  ])('when {EVENT.UPDATE.ACTION} is %j, then acknowledging is %s', (action, expected) => {
    expect(isAcknowledgement(action)).toBe(expected);
  });

  test('when the update action is very long, then the raw transition is capped', () => {
    const action = `acknowledged, ${'commented '.repeat(200)}`;
    expect(alertOf(acknowledgementOf({ update_action: action })).rawTransition).toHaveLength(LIMITS.text);
  });
});

describe('zabbix severities', () => {
  test.each([
    ['5', 'P1'],
    ['4', 'P2'],
    ['3', 'P3'],
    ['2', 'P4'],
    ['1', 'P5'],
    ['0', null],
  ])('when {EVENT.NSEVERITY} is %s, then the severity is %s', (nseverity, severity) => {
    expect(severityOf(nseverity, null)).toBe(severity);
  });

  test('when {EVENT.NSEVERITY} is 0 (Not classified), then the severity name is not asked', () => {
    expect(severityOf('0', 'High')).toBeNull();
  });

  test.each([
    ['Disaster', 'P1'],
    ['High', 'P2'],
    ['Average', 'P3'],
    ['Warning', 'P4'],
    ['Information', 'P5'],
    ['Not classified', null],
    ['not_classified', null],
    ['Critical', null],
    ['__proto__', null],
  ])('when only {EVENT.SEVERITY} %j is known, then the severity is %s', (name, severity) => {
    expect(severityOf(null, name)).toBe(severity);
    expect(severityOf('9', name)).toBe(severity);
  });

  test('when neither is sent, then the severity is unknown', () => {
    expect(severityOf(null, null)).toBeNull();
    expect(
      alertOf(problem({ nseverity: '{EVENT.NSEVERITY}', severity: '{EVENT.SEVERITY}' })).severity,
    ).toBeNull();
  });

  test('when {EVENT.NSEVERITY} and {EVENT.SEVERITY} disagree (a renamed severity), then the number decides', () => {
    expect(alertOf(problem({ nseverity: 5, severity: 'Warning' })).severity).toBe('P1');
  });
});

describe('zabbix times', () => {
  test('when the server is in Europe/Paris, then summer times are UTC+2 and winter times UTC+1', () => {
    expect(alertOf(problem()).at).toBe('2026-06-14T10:00:00.000Z');
    expect(alertOf(problem({ date: '2026.01.14', time: '12:00:00' })).at).toBe('2026-01-14T11:00:00.000Z');
  });

  test('when the server is in UTC, then times are read as written', () => {
    expect(alertOf(problem({ time: '10:01:00' }), 'UTC').at).toBe('2026-06-14T10:01:00.000Z');
  });

  test('when a time falls in the hour skipped as clocks go forward, then it is read with the offset before the change', () => {
    const receivedAt = new Date('2026-03-29T02:00:00Z');
    expect(
      alertOf(problem({ date: '2026.03.29', time: '02:30:00' }), 'Europe/Paris', { receivedAt }).at,
    ).toBe('2026-03-29T01:30:00.000Z');
  });

  test('when a time falls in the hour repeated as clocks go back, then it is the first of the two', () => {
    const receivedAt = new Date('2026-10-25T02:00:00Z');
    expect(
      alertOf(recovery({ recovery_date: '2026.10.25', recovery_time: '02:30:00' }), 'Europe/Paris', {
        receivedAt,
      }).at,
    ).toBe('2026-10-25T00:30:00.000Z');
  });

  test('when a recovery has no recovery time, then it takes the receipt time, not the problem start', () => {
    expect(
      alertOf(recovery({ recovery_date: '{EVENT.RECOVERY.DATE}', recovery_time: '{EVENT.RECOVERY.TIME}' })),
    ).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test('when a time has no seconds, or the date is written with dashes, then it is still read', () => {
    expect(alertOf(problem({ time: '12:00' })).at).toBe('2026-06-14T10:00:00.000Z');
    expect(alertOf(problem({ date: '2026-06-14' })).at).toBe('2026-06-14T10:00:00.000Z');
  });

  test('when a date comes without its time, or a time without its date, then the missing one is named', () => {
    expect(errorOf(problem({ time: '' })).message).toBe('time: is required with date');
    expect(errorOf(problem({ date: '*UNKNOWN*' })).message).toBe('date: is required with time');
    expect(errorOf(recovery({ recovery_time: '{EVENT.RECOVERY.TIME}' })).field).toBe('recovery_time');
  });

  test.each([
    ['date', '14.06.2026'],
    ['date', '2026.6.14'],
    ['date', '2026.13.01'],
    ['date', 'x2026.06.14'],
    ['date', '2026.06.14x'],
    ['time', '24:00:00'],
    ['time', '12:60:00'],
    ['time', '12:00:60'],
    ['time', '1200'],
    ['time', 'x12:00:00'],
    ['time', '12:00:00x'],
  ])('when %s is %j, then the payload is refused naming it', (key, value) => {
    expect(errorOf(problem({ [key]: value })).field).toBe(key);
  });

  test('when the time is more than an hour after receipt, then the receipt time is taken', () => {
    expect(alertOf(problem({ time: '13:03:00' }))).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });
});

describe('zabbix fields', () => {
  test.each([
    ['{EVENT.ID}', true],
    ['{EVENT.RECOVERY.DATE}', true],
    ['{$ZABBIX.URL}', true],
    ['{HOST_NAME}', true],
    ['*UNKNOWN*', true],
    ['{event.id}', false],
    ['{}', false],
    ['x {EVENT.ID}', false],
    ['{EVENT.ID} x', false],
    ['x*UNKNOWN*', false],
    ['*UNKNOWN*x', false],
    ['4711', false],
  ])('when a parameter is %j, then unrendered is %s', (text, expected) => {
    expect(isUnrendered(text)).toBe(expected);
  });

  test('when {EVENT.ID} is unrendered (the media type test), then it is ignored as a test notification', () => {
    expect(parse(problem({ event_id: '{EVENT.ID}' }))).toEqual({
      alerts: [],
      ignored: 'test notification: the media type test sends its macros unrendered',
    });
  });

  test('when {EVENT.ID} is missing, then the payload is refused saying it is required', () => {
    expect(errorOf(problem({ event_id: undefined })).message).toBe('event_id: is required (send {EVENT.ID})');
    expect(errorOf(problem({ event_id: '   ' })).field).toBe('event_id');
  });

  test('when {EVENT.ID} is a number, then it is read as its digits', () => {
    expect(alertOf(problem({ event_id: 4711 })).groupKey).toBe('zabbix:problem:4711');
  });

  test('when the event name is missing or long, then the event id names the problem, and a long name is capped', () => {
    expect(alertOf(problem({ event_name: '{EVENT.NAME}' })).title).toBe('Zabbix problem 4711');
    const long = alertOf(problem({ event_name: 'n'.repeat(LIMITS.title + 1) }));
    expect([long.title.length, long.monitor.name.length]).toEqual([LIMITS.title, LIMITS.title]);
  });

  test('when the message is missing or long, then it is empty or capped', () => {
    expect(alertOf(problem({ message: '{ALERT.MESSAGE}' })).message).toBe('');
    expect(alertOf(problem({ message: 'm'.repeat(LIMITS.message + 1) })).message).toHaveLength(
      LIMITS.message,
    );
  });

  test('when the problem is read, then the trigger is the monitor and the problem event is the cycle', () => {
    expect(alertOf(problem())).toMatchObject({
      monitor: {
        id: '23150',
        name: 'MySQL is down on db-1',
        url: 'https://zabbix.example.com/tr_events.php?triggerid=23150&eventid=4711',
        query: null,
      },
      cycleKey: '4711',
      scope: null,
      alertKey: 'zabbix:problem:4711|*',
      isTest: false,
    });
    expect(alertOf(problem({ trigger_id: '{TRIGGER.ID}' })).monitor.id).toBeNull();
  });

  test.each([
    ['{$ZABBIX.URL}/tr_events.php?eventid=4711', null],
    ['{$ZABBIX.URL}', null],
    ['ftp://zabbix.example.com/', null],
    ['http://zabbix.internal/zabbix/', 'http://zabbix.internal/zabbix/'],
  ])('when the url is %j, then the monitor URL is %j', (url, expected) => {
    expect(alertOf(problem({ url })).monitor.url).toBe(expected);
  });

  test('when {EVENT.TAGSJSON} is text, a list, unrendered or empty, then the tags are read from it', () => {
    expect(alertOf(problem()).tags).toEqual([{ key: 'service', value: 'mysql' }]);
    expect(alertOf(problem({ tags: [{ tag: 'env', value: 'prod' }] })).tags).toEqual([
      { key: 'env', value: 'prod' },
    ]);
    expect(alertOf(problem({ tags: '{EVENT.TAGSJSON}' })).tags).toEqual([]);
    expect(alertOf(problem({ tags: ' ' })).tags).toEqual([]);
    expect(alertOf(problem({ tags: null })).tags).toEqual([]);
  });

  test('when tags name services and hosts, then they join {HOST.NAME}, deduplicated, by the configured keys', () => {
    const tags = [
      { tag: 'service', value: 'mysql' },
      { tag: 'host', value: 'db-1' },
      { tag: 'host', value: 'db-2' },
    ];
    expect(alertOf(problem({ tags }))).toMatchObject({ services: ['mysql'], hosts: ['db-1', 'db-2'] });
    expect(alertOf(problem({ tags, host: '{HOST.NAME}' })).hosts).toEqual(['db-1', 'db-2']);
  });

  test('when tags are not a JSON list, then the payload is refused naming tags', () => {
    expect(errorOf(problem({ tags: '{"tag":"service"}' })).field).toBe('tags');
    expect(errorOf(problem({ tags: '[{"tag":' })).field).toBe('tags');
    expect(errorOf(problem({ tags: { tag: 'service' } })).field).toBe('tags');
  });

  test('when there are more tags than are taken, then the payload is refused naming tags', () => {
    const tags = Array.from({ length: LIMITS.labels + 1 }, (_, i) => ({ tag: `t${i}`, value: 'v' }));
    expect(errorOf(problem({ tags: JSON.stringify(tags) })).field).toBe('tags');
    expect(alertOf(problem({ tags: tags.slice(1) })).tags).toHaveLength(LIMITS.labels);
  });

  test('when tag names are hostile or entries are not pairs, then hostile names are plain labels and the rest is skipped', () => {
    const tags = '[{"tag":"__proto__","value":"x"},{"tag":"constructor"},"service:mysql",{"value":"orphan"}]';
    expect(alertOf(problem({ tags })).tags).toEqual([
      { key: '__proto__', value: 'x' },
      { key: 'constructor', value: '' },
    ]);
  });

  test('when the body hides parameters behind __proto__, then only its own are read', () => {
    const body = JSON.parse('{"__proto__": {"event_id": "1", "value": "1"}}') as unknown;
    expect(errorOf(body).field).toBe('event_id');
  });

  test('when a parameter has the wrong type, then the payload is refused naming it', () => {
    expect(errorOf(problem({ value: [1] })).field).toBe('value');
    expect(errorOf(problem({ host: { name: 'db-1' } })).field).toBe('host');
    expect(errorOf(problem({ date: ['2026.06.14'] })).field).toBe('date');
    expect(errorOf(problem({ event_name: {} })).field).toBe('event_name');
  });

  test.each([null, 'text', [problem()]])(
    'when the body is %j, then the payload is refused naming payload',
    (body) => {
      expect(errorOf(body).field).toBe('payload');
    },
  );

  test('when reading a parameter throws something other than a ValidationError, then it becomes one naming payload', () => {
    const body = Object.defineProperty({}, 'event_id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(validationErrorOf(() => parseZabbixWebhook(body, contextFor('{}'))).field).toBe('payload');
  });
});
