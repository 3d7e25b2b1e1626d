import { AppError } from '../../src/errors';
import { LIMITS, digestOf, payloadEventId } from '../../src/payloads/values';
import { parseUptimeKumaWebhook } from '../../src/sources/uptime-kuma/uptime-kuma.adapter';
import { heartbeatStatusOf } from '../../src/sources/uptime-kuma/uptime-kuma.mappings';
import { uptimeKumaSource } from '../../src/sources/uptime-kuma/uptime-kuma.source';
import { parseFixture, type SourceFixture } from '../helpers/source-fixtures';
import {
  onlyAlertOf,
  onlyFixtureAlert,
  parseBody,
  parseErrorOf,
  sourceContext,
  validationErrorOf,
} from '../helpers/source-tests';

const NAME = 'uptime-kuma';

/** A DOWN notification of monitor 12; `heartbeat` and `monitor` replace or add fields of each. */
function notification(
  heartbeat: Record<string, unknown> = {},
  monitor: Record<string, unknown> = {},
  msg: unknown = '[Checkout API] [🔴 Down] Request failed with status code 503',
): Record<string, unknown> {
  return {
    heartbeat: {
      monitorID: 12,
      status: 0,
      time: '2026-06-14 10:00:00.123',
      msg: 'Request failed with status code 503',
      important: true,
      ...heartbeat,
    },
    monitor: {
      id: 12,
      name: 'Checkout API',
      url: 'https://checkout.example.com/healthz',
      hostname: null,
      type: 'http',
      tags: [],
      ...monitor,
    },
    msg,
  };
}

describe('uptime-kuma source definition', () => {
  test('when the source is read, then it is named uptime-kuma, takes JSON and multipart form-data, and has no signature or settings', () => {
    expect(uptimeKumaSource.name).toBe('uptime-kuma');
    expect(uptimeKumaSource.bodyFormats).toEqual(['json', 'multipart']);
    expect(uptimeKumaSource.signature).toBeUndefined();
    expect(uptimeKumaSource.settings).toBeUndefined();
  });

  test('when a notification arrives form-encoded, then it is refused as an unsupported media type', () => {
    const fixture: SourceFixture = {
      file: 'inline',
      description: 'inline',
      contentType: 'application/x-www-form-urlencoded',
      body: 'data=%7B%7D',
    };
    let thrown: unknown = null;
    try {
      parseFixture(uptimeKumaSource, fixture);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(415);
  });

  test('when the adapter is called directly, then it gives what the source gives', () => {
    const body = notification();
    const ctx = sourceContext(JSON.stringify(body));
    expect(parseUptimeKumaWebhook(body, ctx)).toEqual(uptimeKumaSource.parse(body, ctx));
  });
});

describe('uptime-kuma trigger and recovery', () => {
  test('when the lifecycle fixtures are parsed, then they share groupKey and alertKey, differ in eventId, and the recovery comes later', () => {
    const trigger = onlyFixtureAlert(uptimeKumaSource, NAME, 'down-trigger');
    const recovery = onlyFixtureAlert(uptimeKumaSource, NAME, 'up-recovery');
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect([trigger.transition, recovery.transition]).toEqual(['triggered', 'recovered']);
    expect(Date.parse(recovery.at)).toBeGreaterThan(Date.parse(trigger.at));
  });

  test('when a heartbeat has a time, then the eventId digests the monitor id, the status and that time as sent', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification()).eventId).toBe(
      `uptime-kuma:${digestOf('12', '0', '2026-06-14 10:00:00.123')}`,
    );
    expect(onlyAlertOf(uptimeKumaSource, notification({ status: 1 })).eventId).toBe(
      `uptime-kuma:${digestOf('12', '1', '2026-06-14 10:00:00.123')}`,
    );
  });

  test('when Uptime Kuma resends the same heartbeat with another msg, then the eventId is the same', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({}, {}, 'again')).eventId).toBe(
      onlyAlertOf(uptimeKumaSource, notification()).eventId,
    );
  });

  test('when a heartbeat has no time, then the eventId is the hash of the body', () => {
    const body = notification({ time: null });
    expect(onlyAlertOf(uptimeKumaSource, body).eventId).toBe(payloadEventId(JSON.stringify(body)));
  });
});

describe('uptime-kuma statuses', () => {
  test.each([
    ['0', 'DOWN', 'triggered'],
    ['1', 'UP', 'recovered'],
    ['2', 'PENDING', 'warn'],
    ['3', 'MAINTENANCE', null],
  ])('when the status is %s, then it is %s: %s', (status, word, transition) => {
    expect(heartbeatStatusOf(status)).toEqual({ word, transition });
  });

  test.each(['4', '00', '-1', 'down', '__proto__', ''])(
    'when the status is %j, then it is none',
    (status) => {
      expect(heartbeatStatusOf(status)).toBeNull();
    },
  );

  test.each([
    [0, 'triggered', 'DOWN'],
    [1, 'recovered', 'UP'],
    [2, 'warn', 'PENDING'],
    ['0', 'triggered', 'DOWN'],
  ])(
    'when a heartbeat has status %j, then the alert is %s with raw transition %s',
    (status, transition, raw) => {
      expect(onlyAlertOf(uptimeKumaSource, notification({ status }))).toMatchObject({
        transition,
        rawTransition: raw,
      });
    },
  );

  test('when a heartbeat is MAINTENANCE, then it is ignored naming the status', () => {
    expect(parseBody(uptimeKumaSource, notification({ status: 3 }))).toEqual({
      alerts: [],
      ignored: 'heartbeat status MAINTENANCE is not tracked',
    });
  });

  test('when the status is a number Uptime Kuma does not send, then the payload is refused naming heartbeat.status and the known ones', () => {
    const error = parseErrorOf(uptimeKumaSource, notification({ status: 7 }));
    expect(error.field).toBe('heartbeat.status');
    expect(error.message).toContain('unknown status 7');
  });

  test.each([1.5, -1, 'up', '1 '.repeat(2), true])(
    'when the status is %j, then the payload is refused naming heartbeat.status',
    (status) => {
      expect(parseErrorOf(uptimeKumaSource, notification({ status })).message).toBe(
        'heartbeat.status: must be a status number',
      );
    },
  );

  test('when the status is missing, then the payload is refused saying it is required', () => {
    const error = parseErrorOf(uptimeKumaSource, notification({ status: undefined }));
    expect([error.field, error.message]).toEqual(['heartbeat.status', 'heartbeat.status: is required']);
  });
});

describe('uptime-kuma test and notices', () => {
  test('when the Test button sends "<name> Testing", then a test alert of its own group that names it', () => {
    const body = { heartbeat: null, monitor: null, msg: 'Ops webhook Testing' };
    expect(onlyAlertOf(uptimeKumaSource, body)).toEqual({
      source: 'uptime-kuma',
      eventId: payloadEventId(JSON.stringify(body)),
      groupKey: 'uptime-kuma:test',
      alertKey: 'uptime-kuma:test|*',
      scope: null,
      transition: 'triggered',
      rawTransition: 'test',
      isTest: true,
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
      title: 'Ops webhook Testing',
      message: 'Ops webhook Testing',
      severity: null,
      monitor: { id: null, name: 'Ops webhook Testing', url: null, query: null },
      cycleKey: null,
      services: [],
      hosts: [],
      tags: [],
    });
  });

  test('when the test message is very long, then the title is capped and the message is not', () => {
    const msg = `${'n'.repeat(LIMITS.title)} Testing`;
    const alert = onlyAlertOf(uptimeKumaSource, { msg });
    expect(alert.title).toHaveLength(LIMITS.title);
    expect(alert.message).toBe(msg);
  });

  test('when the heartbeat and monitor are absent rather than null, then it is read the same', () => {
    expect(onlyAlertOf(uptimeKumaSource, { msg: 'Testing' }).isTest).toBe(true);
  });

  test.each([
    '[Checkout API][https://checkout.example.com] Certificate will be expired in 7 days',
    'Testing now',
    'Load testing',
    'ContestTesting',
  ])(
    'when a notice without monitor or heartbeat says %j, then it is ignored, naming what it lacks',
    (msg) => {
      expect(parseBody(uptimeKumaSource, { heartbeat: null, monitor: null, msg })).toEqual({
        alerts: [],
        ignored: 'a notice without a monitor or heartbeat (certificate expiry) is not tracked',
      });
    },
  );

  test('when nothing at all is sent, then the payload is refused naming heartbeat', () => {
    expect(parseErrorOf(uptimeKumaSource, {}).field).toBe('heartbeat');
    expect(parseErrorOf(uptimeKumaSource, { heartbeat: null, monitor: null, msg: '  ' }).field).toBe(
      'heartbeat',
    );
  });

  test('when a monitor comes without its heartbeat, or a heartbeat without its monitor, then the missing one is named', () => {
    expect(parseErrorOf(uptimeKumaSource, { ...notification(), heartbeat: null }).message).toBe(
      'heartbeat: is required with monitor',
    );
    expect(parseErrorOf(uptimeKumaSource, { ...notification(), monitor: null }).message).toBe(
      'monitor: is required with heartbeat',
    );
  });
});

describe('uptime-kuma fields', () => {
  test('when monitor.id is absent, then heartbeat.monitorID names the monitor; monitor.id wins when both are sent', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({ monitorID: 77 }, { id: undefined })).groupKey).toBe(
      'uptime-kuma:monitor:77',
    );
    expect(onlyAlertOf(uptimeKumaSource, notification({ monitorID: 77 }, { id: 12 })).groupKey).toBe(
      'uptime-kuma:monitor:12',
    );
  });

  test('when the monitor has no name, then its id names it; a long name is capped', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({}, { name: undefined })).title).toBe(
      'Uptime Kuma monitor 12',
    );
    expect(
      onlyAlertOf(uptimeKumaSource, notification({}, { name: 'n'.repeat(LIMITS.title + 9) })).title,
    ).toHaveLength(LIMITS.title);
  });

  test('when msg is sent, then it is the message; else the heartbeat msg; else none', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification()).message).toBe(
      '[Checkout API] [🔴 Down] Request failed with status code 503',
    );
    expect(onlyAlertOf(uptimeKumaSource, notification({}, {}, null)).message).toBe(
      'Request failed with status code 503',
    );
    expect(onlyAlertOf(uptimeKumaSource, notification({ msg: '' }, {}, null)).message).toBe('');
    expect(
      onlyAlertOf(uptimeKumaSource, notification({}, {}, 'm'.repeat(LIMITS.message + 5))).message,
    ).toHaveLength(LIMITS.message);
    expect(
      onlyAlertOf(uptimeKumaSource, notification({ msg: 'h'.repeat(LIMITS.message + 5) }, {}, null)).message,
    ).toHaveLength(LIMITS.message);
  });

  test('when the monitor has a hostname, then it is the host; else the URL gives it; tag hosts follow, deduplicated', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({}, { hostname: 'db-1.internal' })).hosts).toEqual([
      'db-1.internal',
    ]);
    expect(onlyAlertOf(uptimeKumaSource, notification()).hosts).toEqual(['checkout.example.com']);
    const tagged = onlyAlertOf(
      uptimeKumaSource,
      notification(
        {},
        {
          tags: [
            { name: 'host', value: 'checkout.example.com' },
            { name: 'host', value: 'web-2' },
          ],
        },
      ),
    );
    expect(tagged.hosts).toEqual(['checkout.example.com', 'web-2']);
    expect(onlyAlertOf(uptimeKumaSource, notification({}, { url: null })).hosts).toEqual([]);
  });

  test('when the monitor URL is not http(s), then there is no monitor URL; the host is still read', () => {
    const alert = onlyAlertOf(uptimeKumaSource, notification({}, { url: 'tcp://db-1.internal:5432' }));
    expect(alert.monitor.url).toBeNull();
    expect(alert.hosts).toEqual(['db-1.internal']);
  });

  test('when tags are {name, value} pairs, then they are the labels and service tag values are services', () => {
    const alert = onlyAlertOf(
      uptimeKumaSource,
      notification(
        {},
        {
          tags: [
            { tag_id: 1, name: 'service', value: 'checkout', color: '#fff' },
            { name: 'team', value: null },
          ],
        },
      ),
    );
    expect(alert.tags).toEqual([
      { key: 'service', value: 'checkout' },
      { key: 'team', value: '' },
    ]);
    expect(alert.services).toEqual(['checkout']);
  });

  test('when tags are plain "name:value" strings, then they are taken too, deduplicated with the pairs', () => {
    const alert = onlyAlertOf(
      uptimeKumaSource,
      notification({}, { tags: ['env:prod', { name: 'env', value: 'prod' }, 'canary', 7] }),
    );
    expect(alert.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'canary', value: '' },
    ]);
  });

  test('when tag names are hostile (__proto__, constructor), then they are plain labels', () => {
    const alert = onlyAlertOf(
      uptimeKumaSource,
      notification(
        {},
        {
          tags: [
            { name: '__proto__', value: 'x' },
            { name: 'constructor', value: 'y' },
          ],
        },
      ),
    );
    expect(alert.tags).toEqual([
      { key: '__proto__', value: 'x' },
      { key: 'constructor', value: 'y' },
    ]);
  });

  test('when a monitor has more tags than are taken, then the payload is refused naming monitor.tags', () => {
    const tags = Array.from({ length: LIMITS.labels + 1 }, (_, i) => ({ name: `t${i}`, value: 'v' }));
    expect(parseErrorOf(uptimeKumaSource, notification({}, { tags })).field).toBe('monitor.tags');
    const most = Array.from({ length: LIMITS.labels }, (_, i) => ({ name: `t${i}`, value: 'v' }));
    expect(onlyAlertOf(uptimeKumaSource, notification({}, { tags: most })).tags).toHaveLength(LIMITS.labels);
  });

  test('when the monitor hides fields behind __proto__, then only its own fields are read', () => {
    const body = JSON.parse(
      '{"heartbeat": {"status": 0, "time": "2026-06-14 10:00:00"}, "monitor": {"__proto__": {"id": 5}}, "msg": "x"}',
    ) as unknown;
    expect(parseErrorOf(uptimeKumaSource, body).field).toBe('monitor.id');
  });

  test('when a part has the wrong type, then the payload is refused naming it', () => {
    expect(parseErrorOf(uptimeKumaSource, { ...notification(), heartbeat: 'down' }).field).toBe('heartbeat');
    expect(parseErrorOf(uptimeKumaSource, { ...notification(), monitor: [12] }).field).toBe('monitor');
    expect(parseErrorOf(uptimeKumaSource, { ...notification(), msg: { text: 'x' } }).field).toBe('msg');
    expect(parseErrorOf(uptimeKumaSource, notification({}, { id: { id: 12 } })).field).toBe('monitor.id');
    expect(parseErrorOf(uptimeKumaSource, notification({}, { name: ['x'] })).field).toBe('monitor.name');
    expect(parseErrorOf(uptimeKumaSource, notification({}, { url: ['x'] })).field).toBe('monitor.url');
    expect(parseErrorOf(uptimeKumaSource, notification({}, { hostname: {} })).field).toBe('monitor.hostname');
    expect(parseErrorOf(uptimeKumaSource, notification({ time: [1] })).field).toBe('heartbeat.time');
    expect(parseErrorOf(uptimeKumaSource, notification({ msg: {} }, {}, null)).field).toBe('heartbeat.msg');
  });

  test.each([null, 'text', [notification()]])(
    'when the body is %j, then the payload is refused naming payload',
    (body) => {
      expect(parseErrorOf(uptimeKumaSource, body).field).toBe('payload');
    },
  );

  test('when reading a field throws something other than a ValidationError, then it becomes one naming payload', () => {
    const body = Object.defineProperty({}, 'heartbeat', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(validationErrorOf(() => parseUptimeKumaWebhook(body, sourceContext('{}'))).field).toBe('payload');
  });
});

describe('uptime-kuma times', () => {
  test('when heartbeat.time has no zone, then it is read as UTC, whatever the heartbeat says its timezone is', () => {
    expect(
      onlyAlertOf(
        uptimeKumaSource,
        notification({ time: '2026-06-14 10:00:00', timezone: 'Asia/Tokyo', timezoneOffset: '+09:00' }),
      ),
    ).toMatchObject({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
  });

  test('when heartbeat.time carries a zone, then that zone is honoured', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({ time: '2026-06-14T12:00:00+02:00' })).at).toBe(
      '2026-06-14T10:00:00.000Z',
    );
  });

  test('when heartbeat.time is more than an hour after receipt, then the receipt time is taken', () => {
    expect(onlyAlertOf(uptimeKumaSource, notification({ time: '2026-06-14 11:03:00' }))).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test('when heartbeat.time is no time, then the payload is refused naming heartbeat.time', () => {
    expect(parseErrorOf(uptimeKumaSource, notification({ time: 'yesterday' })).field).toBe('heartbeat.time');
  });
});
