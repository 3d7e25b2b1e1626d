import { LIMITS, digestOf, payloadEventId } from '../../src/payloads/values';
import {
  UPTIMEROBOT_TEMPLATE,
  parseUptimeRobotWebhook,
} from '../../src/sources/uptimerobot/uptimerobot.adapter';
import { alertKindOf } from '../../src/sources/uptimerobot/uptimerobot.mappings';
import { uptimerobotSource } from '../../src/sources/uptimerobot/uptimerobot.source';
import { FIXTURE_RECEIVED_AT, parseFixture, type SourceFixture } from '../helpers/source-fixtures';
import {
  onlyAlertOf,
  onlyFixtureAlert,
  parseBody,
  parseErrorOf,
  sourceContext,
  validationErrorOf,
} from '../helpers/source-tests';

const NAME = 'uptimerobot';

/** A down notification of monitor 797412345, as the template renders it; `changes` replace or add fields. */
function downBody(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    monitorID: '797412345',
    monitorURL: 'https://shop.example.com/health',
    monitorFriendlyName: 'Shop health',
    alertType: '1',
    alertTypeFriendlyName: 'Down',
    alertDetails: 'Connection Timeout',
    alertDuration: '',
    alertDateTime: '1781431200',
    ...changes,
  };
}

describe('uptimerobot source definition', () => {
  test('when the source is read, then it is named uptimerobot, takes JSON and form bodies, and has no signature or settings', () => {
    expect(uptimerobotSource.name).toBe('uptimerobot');
    expect(uptimerobotSource.bodyFormats).toEqual(['json', 'form']);
    expect(uptimerobotSource.signature).toBeUndefined();
    expect(uptimerobotSource.settings).toBeUndefined();
  });

  test('when the published template is parsed, then it holds each documented variable, quoted, under its own name', () => {
    const template = JSON.parse(UPTIMEROBOT_TEMPLATE) as Record<string, string>;
    const keys = [
      'monitorID',
      'monitorURL',
      'monitorFriendlyName',
      'alertType',
      'alertTypeFriendlyName',
      'alertDetails',
      'alertDuration',
      'alertDateTime',
      'sslExpiryDaysLeft',
    ];
    expect(Object.keys(template)).toEqual(keys);
    for (const key of keys) expect(template[key]).toBe(`*${key}*`);
  });

  test('when the template is rendered by UptimeRobot, then its fields make an alert', () => {
    const rendered = UPTIMEROBOT_TEMPLATE.replace('*monitorID*', '797412345')
      .replace('*alertType*', '1')
      .replace('*alertDateTime*', '1781431200');
    const alert = onlyAlertOf(uptimerobotSource, JSON.parse(rendered));
    expect(alert).toMatchObject({
      groupKey: 'uptimerobot:monitor:797412345',
      transition: 'triggered',
      at: '2026-06-14T10:00:00.000Z',
      title: 'UptimeRobot monitor 797412345',
      message: '',
      hosts: [],
    });
  });
});

describe('uptimerobot trigger and recovery', () => {
  test('when the lifecycle fixtures are parsed, then they share groupKey and alertKey, differ in eventId, and the recovery comes later', () => {
    const trigger = onlyFixtureAlert(uptimerobotSource, NAME, 'json-down-trigger');
    const recovery = onlyFixtureAlert(uptimerobotSource, NAME, 'json-up-recovery');
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect([trigger.transition, recovery.transition]).toEqual(['triggered', 'recovered']);
    expect(Date.parse(recovery.at)).toBeGreaterThan(Date.parse(trigger.at));
  });

  test('when a notification carries *alertDateTime*, then its eventId digests the monitor, the alert type number and that time', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody()).eventId).toBe(
      `uptimerobot:${digestOf('797412345', '1', '1781431200')}`,
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertType: '2' })).eventId).toBe(
      `uptimerobot:${digestOf('797412345', '2', '1781431200')}`,
    );
  });

  test('when the same alert is named by its number or only by its friendly name, then the eventId is the same', () => {
    const byNumber = onlyAlertOf(uptimerobotSource, downBody({ alertTypeFriendlyName: undefined }));
    const byName = onlyAlertOf(uptimerobotSource, downBody({ alertType: undefined }));
    expect(byName.eventId).toBe(byNumber.eventId);
  });

  test('when UptimeRobot retries the same notification, then the eventId is the same; another time gives another', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody()).eventId).toBe(
      onlyAlertOf(uptimerobotSource, downBody()).eventId,
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: '1781431260' })).eventId).not.toBe(
      onlyAlertOf(uptimerobotSource, downBody()).eventId,
    );
  });

  test('when *alertDateTime* is not sent, then the eventId is the hash of the body', () => {
    const body = downBody({ alertDateTime: undefined });
    expect(onlyAlertOf(uptimerobotSource, body).eventId).toBe(payloadEventId(JSON.stringify(body)));
  });
});

describe('uptimerobot alert types', () => {
  test.each([
    ['1', '1', 'triggered', 'P2', '*'],
    ['down', '1', 'triggered', 'P2', '*'],
    ['Down', '1', 'triggered', 'P2', '*'],
    ['2', '2', 'recovered', 'P2', '*'],
    ['up', '2', 'recovered', 'P2', '*'],
    ['UP', '2', 'recovered', 'P2', '*'],
    ['3', '3', 'warn', 'P4', 'ssl-expiry'],
    ['ssl', '3', 'warn', 'P4', 'ssl-expiry'],
    ['SSL Expiry', '3', 'warn', 'P4', 'ssl-expiry'],
    ['ssl-expiration', '3', 'warn', 'P4', 'ssl-expiry'],
  ])(
    'when the alert type is %j, then it is kind %s: %s, %s, alert %s',
    (word, code, transition, severity, part) => {
      expect(alertKindOf(word)).toEqual({ code, transition, severity, alertPart: part });
    },
  );

  test.each(['0', '4', 'paused', '__proto__', 'constructor', ''])(
    'when the alert type is %j, then it is no kind we track',
    (word) => {
      expect(alertKindOf(word)).toBeNull();
    },
  );

  test('when a monitor goes down, then the alert is a P2 trigger of the monitor itself, without scope', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody())).toMatchObject({
      transition: 'triggered',
      severity: 'P2',
      alertKey: 'uptimerobot:monitor:797412345|*',
      scope: null,
    });
  });

  test('when a certificate is about to expire, then the alert is a P4 warn of the certificate, in the monitor group', () => {
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '3', alertTypeFriendlyName: 'SSL Expiry' })),
    ).toMatchObject({
      transition: 'warn',
      severity: 'P4',
      groupKey: 'uptimerobot:monitor:797412345',
      alertKey: 'uptimerobot:monitor:797412345|ssl-expiry',
      scope: 'ssl-expiry',
    });
  });

  test('when *alertType* is unknown but the friendly name is known, then the friendly name decides', () => {
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '9', alertTypeFriendlyName: 'Up' })).transition,
    ).toBe('recovered');
  });

  test('when the number and the friendly name disagree, then the number decides', () => {
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '2', alertTypeFriendlyName: 'Down' })).transition,
    ).toBe('recovered');
  });

  test('when the friendly name is sent, then it is the raw transition; else the number is', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody()).rawTransition).toBe('Down');
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertTypeFriendlyName: '' })).rawTransition).toBe('1');
  });

  test('when the raw transition is very long, then it is capped', () => {
    const long = `Down${'x'.repeat(LIMITS.text * 2)}`;
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '1', alertTypeFriendlyName: long })).rawTransition,
    ).toHaveLength(LIMITS.text);
  });

  test('when neither field names a tracked type, then it is ignored naming the friendly name, else the number', () => {
    expect(
      parseBody(uptimerobotSource, downBody({ alertType: '7', alertTypeFriendlyName: 'Domain Expiry' })),
    ).toEqual({
      alerts: [],
      ignored: 'alert type "Domain Expiry" is not tracked',
    });
    expect(
      parseBody(uptimerobotSource, downBody({ alertType: '7', alertTypeFriendlyName: undefined })),
    ).toEqual({
      alerts: [],
      ignored: 'alert type "7" is not tracked',
    });
  });

  test('when an untracked type comes without a monitor id, then it is still only ignored', () => {
    expect(parseBody(uptimerobotSource, { alertType: '7' }).ignored).toBe('alert type "7" is not tracked');
  });

  test('when both type fields are absent or unrendered, then the payload is refused naming alertType', () => {
    const error = parseErrorOf(
      uptimerobotSource,
      downBody({ alertType: '*alertType*', alertTypeFriendlyName: '*alertTypeFriendlyName*' }),
    );
    expect(error.field).toBe('alertType');
    expect(error.message).toContain('is required');
  });
});

describe('uptimerobot fields', () => {
  test('when a variable arrives unrendered, then it counts as absent', () => {
    const alert = onlyAlertOf(
      uptimerobotSource,
      downBody({ monitorFriendlyName: '*monitorFriendlyName*', alertDetails: '*alertDetails*' }),
    );
    expect(alert.title).toBe('https://shop.example.com/health');
    expect(alert.message).toBe('');
  });

  test('when a value only looks like a variable (spaces, digits, stars inside), then it is kept as sent', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: '*Prod* shop' })).title).toBe(
      '*Prod* shop',
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: '*shop health*' })).title).toBe(
      '*shop health*',
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: '*shop2*' })).title).toBe(
      '*shop2*',
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: 'Prod *shop*' })).title).toBe(
      'Prod *shop*',
    );
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: '**' })).title).toBe('**');
  });

  test('when the monitor has no friendly name, then the URL names it; without either, its id does', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorFriendlyName: undefined })).title).toBe(
      'https://shop.example.com/health',
    );
    const bare = onlyAlertOf(
      uptimerobotSource,
      downBody({ monitorFriendlyName: undefined, monitorURL: undefined }),
    );
    expect(bare.title).toBe('UptimeRobot monitor 797412345');
    expect(bare.monitor).toEqual({
      id: '797412345',
      name: 'UptimeRobot monitor 797412345',
      url: null,
      query: null,
    });
  });

  test('when the friendly name or the details are very long, then they are capped', () => {
    const alert = onlyAlertOf(
      uptimerobotSource,
      downBody({
        monitorFriendlyName: 'n'.repeat(LIMITS.title + 50),
        alertDetails: 'd'.repeat(LIMITS.message + 50),
      }),
    );
    expect(alert.title).toHaveLength(LIMITS.title);
    expect(alert.monitor.name).toHaveLength(LIMITS.title);
    expect(alert.message).toHaveLength(LIMITS.message);
  });

  test('when the SSL expiry message has details, an expiry date and days left, then they make one line each, capped together', () => {
    const ssl = {
      alertType: '3',
      alertDetails: 'Certificate expires soon',
      sslExpiryDate: '2026-06-28',
      sslExpiryDaysLeft: '14',
    };
    expect(onlyAlertOf(uptimerobotSource, downBody(ssl)).message).toBe(
      'Certificate expires soon\nSSL certificate expires 2026-06-28\n14 days left',
    );
    const long = onlyAlertOf(
      uptimerobotSource,
      downBody({ ...ssl, alertDetails: 'd'.repeat(LIMITS.message) }),
    );
    expect(long.message).toHaveLength(LIMITS.message);
  });

  test('when an SSL alert has only the days left, then only that line follows', () => {
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '3', alertDetails: '', sslExpiryDaysLeft: '3' }))
        .message,
    ).toBe('3 days left');
  });

  test('when a down or up alert carries SSL fields, then they are not in its message', () => {
    const ssl = { sslExpiryDate: '2026-06-28', sslExpiryDaysLeft: '14' };
    expect(onlyAlertOf(uptimerobotSource, downBody(ssl)).message).toBe('Connection Timeout');
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ ...ssl, alertType: '2', alertDetails: 'OK' })).message,
    ).toBe('OK');
  });

  test('when an up alert carries *alertDuration*, then the message says how long the monitor was down; a down alert does not', () => {
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '2', alertDetails: 'OK', alertDuration: '300' }))
        .message,
    ).toBe('OK\nDown for 300 s');
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '2', alertDetails: '', alertDuration: 42 }))
        .message,
    ).toBe('Down for 42 s');
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDuration: '300' })).message).toBe(
      'Connection Timeout',
    );
    expect(
      onlyAlertOf(uptimerobotSource, downBody({ alertType: '3', alertDetails: 'x', alertDuration: '300' }))
        .message,
    ).toBe('x');
  });

  test('when *alertDuration* is not whole seconds, then the payload is refused naming alertDuration', () => {
    for (const duration of ['5 minutes', '1.5', '-3'])
      expect(
        parseErrorOf(uptimerobotSource, downBody({ alertType: '2', alertDuration: duration })).field,
      ).toBe('alertDuration');
  });

  test('when *monitorID* is a number, then it is read as its digits', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorID: 797412345 })).groupKey).toBe(
      'uptimerobot:monitor:797412345',
    );
  });

  test('when a field has the wrong type, then the payload is refused naming it', () => {
    expect(parseErrorOf(uptimerobotSource, downBody({ monitorID: ['797412345'] })).field).toBe('monitorID');
    expect(parseErrorOf(uptimerobotSource, downBody({ monitorFriendlyName: { name: 'x' } })).field).toBe(
      'monitorFriendlyName',
    );
    expect(parseErrorOf(uptimerobotSource, downBody({ alertDetails: ['x'] })).field).toBe('alertDetails');
    expect(parseErrorOf(uptimerobotSource, downBody({ monitorURL: { url: 'x' } })).field).toBe('monitorURL');
  });

  test.each([null, 'text', 42, [downBody()]])(
    'when the body is %j, then the payload is refused naming payload',
    (body) => {
      expect(parseErrorOf(uptimerobotSource, body).field).toBe('payload');
    },
  );

  test('when a body hides fields behind __proto__ or constructor keys, then only its own fields are read', () => {
    const body = JSON.parse(
      '{"__proto__": {"monitorID": "1"}, "constructor": "x", "alertType": "1"}',
    ) as unknown;
    expect(parseErrorOf(uptimerobotSource, body).field).toBe('monitorID');
  });

  test('when a form body carries __proto__ and constructor fields, then they are plain unknown fields', () => {
    const fixture: SourceFixture = {
      file: 'inline',
      description: 'inline',
      contentType: 'application/x-www-form-urlencoded',
      body: '__proto__=x&constructor=y&monitorID=5&alertType=1&alertDateTime=1781431200',
    };
    const [alert] = parseFixture(uptimerobotSource, fixture).alerts;
    expect(alert).toMatchObject({ groupKey: 'uptimerobot:monitor:5', transition: 'triggered' });
  });

  test('when reading a field throws something other than a ValidationError, then it becomes one naming payload', () => {
    const body = Object.defineProperty({ alertType: '1' }, 'monitorID', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const error = validationErrorOf(() => parseUptimeRobotWebhook(body, sourceContext('{}')));
    expect(error.field).toBe('payload');
    expect(error.message).toContain('boom');
  });
});

describe('uptimerobot times', () => {
  test('when *alertDateTime* is unix seconds, as text or as a number, then it is the alert time', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: '1781431200' }))).toMatchObject({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: 1781431200 }))).toMatchObject({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
  });

  test('when *alertDateTime* is in milliseconds, then it is read as seconds, is implausible, and the receipt time is taken', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: '1781431200000' }))).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test('when *alertDateTime* is before 2000 or more than an hour after receipt, then the receipt time is taken', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: '86400' })).atOrigin).toBe('received');
    expect(
      onlyAlertOf(
        uptimerobotSource,
        downBody({ alertDateTime: String(Date.parse(FIXTURE_RECEIVED_AT) / 1000 + 3700) }),
      ).atOrigin,
    ).toBe('received');
    expect(
      onlyAlertOf(
        uptimerobotSource,
        downBody({ alertDateTime: String(Date.parse(FIXTURE_RECEIVED_AT) / 1000 + 3500) }),
      ).atOrigin,
    ).toBe('source');
  });

  test('when *alertDateTime* is absent, then the receipt time is taken', () => {
    expect(onlyAlertOf(uptimerobotSource, downBody({ alertDateTime: '' }))).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test('when *alertDateTime* is no time, then the payload is refused naming alertDateTime', () => {
    expect(parseErrorOf(uptimerobotSource, downBody({ alertDateTime: '14 June' })).field).toBe(
      'alertDateTime',
    );
  });
});

describe('uptimerobot targets', () => {
  test('when the target has a host, then it is the alert host; services stay empty and there are no tags', () => {
    const alert = onlyAlertOf(uptimerobotSource, downBody({ monitorURL: 'https://api.example.com/ping' }));
    expect(alert).toMatchObject({
      hosts: ['api.example.com'],
      services: [],
      tags: [],
      cycleKey: null,
      isTest: false,
    });
    expect(alert.monitor.url).toBe('https://api.example.com/ping');
    expect(onlyAlertOf(uptimerobotSource, downBody({ monitorURL: 'not a url' })).hosts).toEqual([]);
  });
});

describe('uptimerobot adapter function', () => {
  test('when it is called directly, then it gives what the source gives', () => {
    const body = downBody();
    const ctx = sourceContext(JSON.stringify(body));
    expect(parseUptimeRobotWebhook(body, ctx)).toEqual(uptimerobotSource.parse(body, ctx));
  });
});
