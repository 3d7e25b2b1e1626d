/**
 * The Alertmanager webhook source: its fixtures as the generic table runs them, then what one fixture cannot
 * show (pairs of notifications, every mapping entry, time edges, hostile keys, caps). The shared reading of the
 * Alertmanager shape (src/payloads/alertmanager-alerts.ts) is tested here too.
 */
import { alertmanagerSource } from '../../src/sources/alertmanager/alertmanager.source';
import { hostOfInstance, labelValue } from '../../src/sources/alertmanager/alertmanager.alerts';
import { LIMITS } from '../../src/payloads/values';
import { alertsOf, onlyAlertOf, onlyFixtureAlert, parseBody, parseErrorOf } from '../helpers/source-tests';

const NAME = 'alertmanager';

type Body = Record<string, unknown>;

/** A one-alert firing notification; `alert` and `top` override its alert's and its own fields. */
function notification(alert: Body = {}, top: Body = {}): Body {
  return {
    receiver: 'hindsight',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighErrorRate', instance: 'web-1:9100', severity: 'critical' },
        annotations: { summary: 'Errors above 5%', description: 'Errors are 7% of requests.' },
        startsAt: '2026-06-14T10:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=up',
        fingerprint: 'aaaabbbbccccdddd',
        ...alert,
      },
    ],
    groupLabels: { alertname: 'HighErrorRate' },
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    ...top,
  };
}

describe('alertmanager identities across notifications', () => {
  test('when the lifecycle trigger and recovery are read, then they share groupKey, alertKey and cycleKey, and are different events', () => {
    const trigger = onlyFixtureAlert(alertmanagerSource, NAME, 'firing-trigger');
    const recovery = onlyFixtureAlert(alertmanagerSource, NAME, 'resolved-recovery');
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.cycleKey).toBe(trigger.cycleKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect(new Date(recovery.at).getTime()).toBeGreaterThan(new Date(trigger.at).getTime());
  });

  test("when an HA peer sends a stale firing after the group's resolved, then it gets exactly the original firing's eventId", () => {
    const firing = onlyFixtureAlert(alertmanagerSource, NAME, 'firing-trigger');
    const resolved = onlyFixtureAlert(alertmanagerSource, NAME, 'resolved-recovery');
    const stale = onlyFixtureAlert(alertmanagerSource, NAME, 'stale-ha-firing');
    expect(stale.eventId).toBe(firing.eventId);
    expect(stale.eventId).not.toBe(resolved.eventId);
    expect(stale.at).toBe(firing.at);
  });

  test('when the alert fires again after resolving, then it is a new event of the same alert', () => {
    const firing = onlyFixtureAlert(alertmanagerSource, NAME, 'firing-trigger');
    const again = onlyFixtureAlert(alertmanagerSource, NAME, 'refire-after-resolve');
    expect(again.eventId).not.toBe(firing.eventId);
    expect(again.alertKey).toBe(firing.alertKey);
    expect(again.cycleKey).not.toBe(firing.cycleKey);
  });

  test('when the same firing is repeated later (repeat_interval) or by the other HA peer, then it is the same event', () => {
    const first = onlyAlertOf(alertmanagerSource, notification());
    const repeat = onlyAlertOf(
      alertmanagerSource,
      notification({ annotations: { summary: 'Errors above 6%' } }),
      {
        receivedAt: new Date('2026-06-14T14:02:30Z'),
      },
    );
    expect(repeat.eventId).toBe(first.eventId);
  });

  test('when the status word differs only in case, then the eventId is the same', () => {
    expect(onlyAlertOf(alertmanagerSource, notification({ status: 'FIRING' })).eventId).toBe(
      onlyAlertOf(alertmanagerSource, notification()).eventId,
    );
  });

  test('when two resolutions of one episode carry different endsAt, then they are different events', () => {
    const resolved = (endsAt: string) =>
      onlyAlertOf(alertmanagerSource, notification({ status: 'resolved', endsAt }, { status: 'resolved' }));
    expect(resolved('2026-06-14T10:01:00Z').eventId).not.toBe(resolved('2026-06-14T10:02:00Z').eventId);
  });

  test('when a firing carries an endsAt (a future one), then its eventId does not depend on it', () => {
    const firing = (endsAt: string) => onlyAlertOf(alertmanagerSource, notification({ endsAt })).eventId;
    expect(firing('2026-06-14T10:10:00Z')).toBe(firing('2026-06-14T10:11:00Z'));
  });

  test('when the fingerprint or startsAt differs, then the eventId differs', () => {
    const base = onlyAlertOf(alertmanagerSource, notification()).eventId;
    expect(
      onlyAlertOf(alertmanagerSource, notification({ fingerprint: 'eeeeffff00001111' })).eventId,
    ).not.toBe(base);
    expect(
      onlyAlertOf(alertmanagerSource, notification({ startsAt: '2026-06-14T10:00:01Z' })).eventId,
    ).not.toBe(base);
  });

  test('when the same startsAt is written in another offset, then it is the same episode', () => {
    const utc = onlyAlertOf(alertmanagerSource, notification());
    const offset = onlyAlertOf(alertmanagerSource, notification({ startsAt: '2026-06-14T12:00:00+02:00' }));
    expect(offset.eventId).toBe(utc.eventId);
    expect(offset.cycleKey).toBe('aaaabbbbccccdddd@2026-06-14T10:00:00.000Z');
  });

  test('when two groups differ in groupKey, then their groupKeys differ, and the alertKey is the groupKey and the fingerprint', () => {
    const a = onlyAlertOf(alertmanagerSource, notification());
    const b = onlyAlertOf(alertmanagerSource, notification({}, { groupKey: '{}:{alertname="Other"}' }));
    expect(a.groupKey).toMatch(/^alertmanager:[0-9a-f]{32}$/);
    expect(b.groupKey).not.toBe(a.groupKey);
    expect(a.alertKey).toBe(`${a.groupKey}|aaaabbbbccccdddd`);
  });

  test('when the groupKey is absent, then the group is its receiver and groupLabels, whatever their order', () => {
    const keyOf = (top: Body) =>
      onlyAlertOf(alertmanagerSource, notification({}, { groupKey: undefined, ...top })).groupKey;
    const base = keyOf({ groupLabels: { alertname: 'A', job: 'j' } });
    expect(keyOf({ groupLabels: { job: 'j', alertname: 'A' } })).toBe(base);
    expect(keyOf({ groupLabels: { alertname: 'A', job: 'k' } })).not.toBe(base);
    expect(keyOf({ groupLabels: { alertname: 'A', job: 'j' }, receiver: 'other' })).not.toBe(base);
    expect(keyOf({ groupLabels: { alertname: 'A', job: 'j' }, receiver: undefined })).not.toBe(base);
    expect(keyOf({ groupLabels: {}, receiver: '' })).toBe(keyOf({ groupLabels: {}, receiver: undefined }));
  });

  test('when a groupKey text equals a receiver name, then the two groups still differ', () => {
    const byKey = onlyAlertOf(
      alertmanagerSource,
      notification({}, { groupKey: 'hindsight', groupLabels: {} }),
    );
    const byReceiver = onlyAlertOf(
      alertmanagerSource,
      notification({}, { groupKey: undefined, groupLabels: {} }),
    );
    expect(byKey.groupKey).not.toBe(byReceiver.groupKey);
  });

  test('when two group keys share their first thousand characters, then they are still two groups', () => {
    const long = 'x'.repeat(1500);
    const a = onlyAlertOf(alertmanagerSource, notification({}, { groupKey: `${long}a` }));
    const b = onlyAlertOf(alertmanagerSource, notification({}, { groupKey: `${long}b` }));
    expect(a.groupKey).not.toBe(b.groupKey);
  });

  test('when the fingerprint is absent, then it is a digest of the labels, whatever their order', () => {
    const fp = (labels: Body) =>
      onlyAlertOf(alertmanagerSource, notification({ fingerprint: undefined, labels })).alertKey;
    const base = fp({ alertname: 'A', instance: 'x' });
    expect(base).toMatch(/\|[0-9a-f]{32}$/);
    expect(fp({ instance: 'x', alertname: 'A' })).toBe(base);
    expect(fp({ alertname: 'A', instance: 'y' })).not.toBe(base);
    expect(fp({ alertname: 'A', instancex: '' })).not.toBe(fp({ alertname: 'A', instance: 'x' }));
  });
});

describe('alertmanager transitions and times', () => {
  test.each([
    ['firing', 'triggered'],
    ['resolved', 'recovered'],
    ['Resolved', 'recovered'],
  ])('when an alert says %s, then it is %s, keeping the word', (word, transition) => {
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ status: word, endsAt: '2026-06-14T10:02:00Z' }, { status: 'firing' }),
    );
    expect(alert.transition).toBe(transition);
    expect(alert.rawTransition).toBe(word);
  });

  test('when the group is resolved, then a listed alert is recovered even if it says firing', () => {
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ endsAt: '2026-06-14T10:02:00Z' }, { status: 'resolved' }),
    );
    expect([alert.transition, alert.rawTransition, alert.at]).toEqual([
      'recovered',
      'resolved',
      '2026-06-14T10:02:00.000Z',
    ]);
  });

  test('when the alert has no status, then the group status decides', () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ status: undefined }, { status: 'firing' }));
    expect([alert.transition, alert.rawTransition]).toEqual(['triggered', 'firing']);
  });

  test.each([
    ['2026-06-14T10:02:00Z', 'recovered', 'resolved', '2026-06-14T10:02:00.000Z'],
    ['2026-06-14T10:02:30Z', 'recovered', 'resolved', '2026-06-14T10:02:30.000Z'],
    ['2026-06-14T10:03:00Z', 'triggered', 'firing', '2026-06-14T10:00:00.000Z'],
    ['0001-01-01T00:00:00Z', 'triggered', 'firing', '2026-06-14T10:00:00.000Z'],
    [undefined, 'triggered', 'firing', '2026-06-14T10:00:00.000Z'],
  ])(
    'when neither the alert nor the group has a status and endsAt is %s, then it is %s',
    (endsAt, transition, raw, at) => {
      const alert = onlyAlertOf(
        alertmanagerSource,
        notification({ status: undefined, endsAt }, { status: undefined }),
      );
      expect([alert.transition, alert.rawTransition, alert.at]).toEqual([transition, raw, at]);
    },
  );

  test('when a group status is no known word, then a ValidationError on status, quoting it', () => {
    const error = parseErrorOf(alertmanagerSource, notification({}, { status: `pending${'!'.repeat(100)}` }));
    expect(error.field).toBe('status');
    expect(error.message).toBe(`status: unknown status ${JSON.stringify(`pending${'!'.repeat(57)}`)}`);
  });

  test('when a firing has no startsAt, then it is at its receipt and has no cycleKey', () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ startsAt: undefined }));
    expect([alert.at, alert.atOrigin, alert.cycleKey]).toEqual([
      '2026-06-14T10:02:30.000Z',
      'received',
      null,
    ]);
  });

  test("when startsAt is Go's zero time, then it is no time", () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ startsAt: '0001-01-01T00:00:00Z' }));
    expect([alert.atOrigin, alert.cycleKey]).toEqual(['received', null]);
  });

  test('when a resolution has no endsAt, then it is at its receipt', () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ status: 'resolved', endsAt: undefined }));
    expect([alert.transition, alert.at, alert.atOrigin]).toEqual([
      'recovered',
      '2026-06-14T10:02:30.000Z',
      'received',
    ]);
  });

  test('when a resolution ends more than an hour after its receipt, then it is at its receipt', () => {
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ status: 'resolved', endsAt: '2026-06-14T12:00:00Z' }),
    );
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when endsAt is no time, then a ValidationError names it', () => {
    expect(parseErrorOf(alertmanagerSource, notification({ endsAt: 'soon' })).field).toBe('alerts[0].endsAt');
  });

  test('when startsAt is a list, then a ValidationError names it', () => {
    expect(parseErrorOf(alertmanagerSource, notification({ startsAt: ['2026'] })).field).toBe(
      'alerts[0].startsAt',
    );
  });
});

describe('alertmanager severity, title, message and monitor', () => {
  test.each([
    ['critical', 'P1'],
    ['error', 'P2'],
    ['high', 'P2'],
    ['warning', 'P3'],
    ['warn', 'P3'],
    ['major', 'P3'],
    ['info', 'P4'],
    ['minor', 'P4'],
    ['low', 'P4'],
    ['none', 'P5'],
    ['debug', 'P5'],
    ['p1', 'P1'],
    ['P2', 'P2'],
    ['p3', 'P3'],
    ['p4', 'P4'],
    ['p5', 'P5'],
    [' Critical ', 'P1'],
    ['page', null],
    ['', null],
    ['constructor', null],
  ])('when the severity label is %j, then the severity is %s', (word, severity) => {
    const labels = { alertname: 'A', severity: word };
    expect(onlyAlertOf(alertmanagerSource, notification({ labels })).severity).toBe(severity);
  });

  test('when there is no severity label, then the severity is unknown', () => {
    expect(onlyAlertOf(alertmanagerSource, notification({ labels: { alertname: 'A' } })).severity).toBeNull();
  });

  test('when there is no summary, then the title is the alertname; with neither, it names the fingerprint', () => {
    expect(onlyAlertOf(alertmanagerSource, notification({ annotations: {} })).title).toBe('HighErrorRate');
    const bare = onlyAlertOf(alertmanagerSource, notification({ annotations: {}, labels: { job: 'x' } }));
    expect(bare.title).toBe('Alert aaaabbbbccccdddd');
    expect(bare.monitor).toEqual({
      id: null,
      name: 'Alert aaaabbbbccccdddd',
      url: 'http://prometheus.example.com:9090/graph?g0.expr=up',
      query: null,
    });
  });

  test('when the annotations are description, message or summary alone, then the message is the first of them', () => {
    const messageOf = (annotations: Body) =>
      onlyAlertOf(alertmanagerSource, notification({ annotations })).message;
    expect(messageOf({ description: 'd', message: 'm', summary: 's' })).toBe('d');
    expect(messageOf({ message: 'm', summary: 's' })).toBe('m');
    expect(messageOf({ summary: 's' })).toBe('s');
    expect(messageOf({})).toBe('');
  });

  test('when truncatedAlerts is 1, a digit string, or sent with no message, then the note reads so', () => {
    const messageOf = (annotations: Body, truncatedAlerts: unknown) =>
      onlyAlertOf(alertmanagerSource, notification({ annotations }, { truncatedAlerts })).message;
    expect(messageOf({ description: 'd' }, 1)).toBe('d (+1 alert not listed)');
    expect(messageOf({ description: 'd' }, '2')).toBe('d (+2 alerts not listed)');
    expect(messageOf({ description: 'd' }, ' 3 ')).toBe('d (+3 alerts not listed)');
    expect(messageOf({}, 4)).toBe('(+4 alerts not listed)');
    expect(messageOf({ description: 'd' }, null)).toBe('d');
  });

  test.each([[-1], [1.5], ['many'], ['1 2'], ['-1'], ['0x10'], ['1e3'], [' '], [{}], [true]])(
    'when truncatedAlerts is %j, then a ValidationError on truncatedAlerts',
    (truncatedAlerts) => {
      const error = parseErrorOf(alertmanagerSource, notification({}, { truncatedAlerts }));
      expect([error.field, error.message]).toEqual([
        'truncatedAlerts',
        'truncatedAlerts: must be a count of alerts',
      ]);
    },
  );

  test('when the message is longer than the cap, then it is capped and the truncation note survives', () => {
    const description = 'x'.repeat(LIMITS.message + 100);
    const capped = onlyAlertOf(alertmanagerSource, notification({ annotations: { description } })).message;
    expect(capped).toHaveLength(LIMITS.message);
    const noted = onlyAlertOf(
      alertmanagerSource,
      notification({ annotations: { description } }, { truncatedAlerts: 7 }),
    ).message;
    expect(noted).toHaveLength(LIMITS.message);
    expect(noted.endsWith('x (+7 alerts not listed)')).toBe(true);
  });

  test('when the summary is longer than the title cap, then the title is capped and the message keeps more', () => {
    const summary = 'y'.repeat(LIMITS.message + 50);
    const alert = onlyAlertOf(alertmanagerSource, notification({ annotations: { summary } }));
    expect(alert.title).toHaveLength(LIMITS.title);
    expect(alert.message).toHaveLength(LIMITS.message);
  });

  test.each([
    ['https://prometheus.example.com/graph', 'https://prometheus.example.com/graph'],
    ['HTTP://prom:9090/graph', 'HTTP://prom:9090/graph'],
    ['javascript:alert(1)', null],
    ['/graph?g0.expr=up', null],
    ['see http://prom:9090/graph', null],
    ['', null],
  ])('when generatorURL is %j, then monitor.url is %j', (generatorURL, url) => {
    expect(onlyAlertOf(alertmanagerSource, notification({ generatorURL })).monitor.url).toBe(url);
  });

  test('when an annotation is an object, then a ValidationError names it', () => {
    const error = parseErrorOf(alertmanagerSource, notification({ annotations: { summary: { text: 'x' } } }));
    expect(error.field).toBe('alerts[0].annotations.summary');
  });

  test('when the annotations are a string, then a ValidationError names them', () => {
    expect(parseErrorOf(alertmanagerSource, notification({ annotations: 'summary' })).field).toBe(
      'alerts[0].annotations',
    );
  });

  test('when Alertmanager is the sender, then nothing is a test', () => {
    const labels = { alertname: 'TestAlert', instance: 'Grafana' };
    expect(onlyAlertOf(alertmanagerSource, notification({ labels })).isTest).toBe(false);
  });
});

describe('alertmanager scope, hosts, services and tags', () => {
  test('when the alert has labels beyond the group labels, then the scope is those labels, sorted, without internal ones', () => {
    const labels = { zone: 'eu', alertname: 'A', __name__: 'up', instance: 'web-1:9100' };
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ labels }, { groupLabels: { alertname: 'A' } }),
    );
    expect(alert.scope).toBe('instance=web-1:9100,zone=eu');
  });

  test('when every label is a group label, then there is no scope', () => {
    const labels = { alertname: 'A', job: 'j' };
    expect(
      onlyAlertOf(alertmanagerSource, notification({ labels }, { groupLabels: labels })).scope,
    ).toBeNull();
  });

  test('when the rendered scope is longer than the cap, then it is capped', () => {
    const labels = { alertname: 'A', a: 'x'.repeat(900), b: 'y'.repeat(900) };
    expect(onlyAlertOf(alertmanagerSource, notification({ labels })).scope).toHaveLength(LIMITS.text);
  });

  test('when labels name services and hosts by the configured keys, then they become services and hosts with the instance host', () => {
    const labels = { alertname: 'A', app: 'cart', service: 'api', node: 'n1', instance: 'n1:9100' };
    const alert = onlyAlertOf(alertmanagerSource, notification({ labels }), {
      serviceTagKeys: ['app', 'service'],
      hostTagKeys: ['node'],
    });
    expect(alert.services).toEqual(['cart', 'api']);
    expect(alert.hosts).toEqual(['n1']);
  });

  test('when there is no instance label, then hosts come from the configured keys only', () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ labels: { alertname: 'A', host: 'h1' } }));
    expect(alert.hosts).toEqual(['h1']);
    expect(alert.services).toEqual([]);
  });

  test.each([
    ['web-1:9100', 'web-1'],
    ['10.0.0.7:9100', '10.0.0.7'],
    ['[2001:db8::7]:9100', '2001:db8::7'],
    ['[2001:db8::7]', '2001:db8::7'],
    ['2001:db8::7', '2001:db8::7'],
    ['https://shop.example.com/health', 'shop.example.com'],
    ['http://user@shop.example.com:8080/x', 'shop.example.com'],
    ['tcp://[::1]:5432', '::1'],
    ['web-1', 'web-1'],
    ['web-1:http', 'web-1:http'],
  ])('when the instance is %j, then its host is %j', (instance, host) => {
    expect(hostOfInstance(instance)).toBe(host);
  });

  test('when the labels hold hostile keys, then they are plain tags and nothing reaches a prototype', () => {
    const raw =
      '{"alerts":[{"status":"firing","labels":{"__proto__":{"polluted":"yes"},"constructor":"c","alertname":"A"},' +
      '"annotations":{"__proto__":"x","summary":"S"},"startsAt":"2026-06-14T10:00:00Z","fingerprint":"f"}]}';
    const body: unknown = JSON.parse(raw);
    const alert = onlyAlertOf(alertmanagerSource, body);
    expect(alert.tags).toEqual([
      { key: 'constructor', value: 'c' },
      { key: 'alertname', value: 'A' },
    ]);
    expect(alert.title).toBe('S');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('when a label value is not text, then it is left out of the labels', () => {
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ labels: { alertname: 'A', nested: { a: 1 }, n: 5 } }),
    );
    expect(alert.tags).toEqual([
      { key: 'alertname', value: 'A' },
      { key: 'n', value: '5' },
    ]);
  });

  test('when a label value is empty, then labelValue does not take it', () => {
    expect(labelValue([{ key: 'alertname', value: '' }], 'alertname')).toBeNull();
    expect(labelValue([{ key: 'alertname', value: 'A' }], 'alertname')).toBe('A');
  });

  test('when an alert has no labels and no annotations at all, then it still reads, with no tags', () => {
    const alert = onlyAlertOf(alertmanagerSource, notification({ labels: null, annotations: undefined }));
    expect([alert.tags, alert.scope, alert.hosts, alert.message]).toEqual([[], null, [], '']);
  });
});

describe('alertmanager payload shapes', () => {
  test('when there are more alerts than the cap, then the list is refused, naming alerts', () => {
    const one = (notification().alerts as unknown[])[0];
    const body = notification({}, { alerts: Array.from({ length: LIMITS.alerts + 1 }, () => one) });
    expect(parseErrorOf(alertmanagerSource, body).field).toBe('alerts');
  });

  test('when there are as many alerts as the cap, then each is read', () => {
    const one = (notification().alerts as unknown[])[0];
    const body = notification({}, { alerts: Array.from({ length: LIMITS.alerts }, () => one) });
    expect(alertsOf(alertmanagerSource, body)).toHaveLength(LIMITS.alerts);
  });

  test('when alerts is missing, then a ValidationError says it is required', () => {
    expect(parseErrorOf(alertmanagerSource, notification({}, { alerts: undefined })).message).toBe(
      'alerts: is required',
    );
  });

  test.each([
    [{ alerts: 'x' }, 'alerts'],
    [{ alerts: null }, 'alerts'],
    [{ alerts: [1] }, 'alerts[0]'],
    [{ groupLabels: [] }, 'groupLabels'],
    [{ groupKey: {} }, 'groupKey'],
    [{ receiver: [] }, 'receiver'],
  ])('when the notification has %j, then a ValidationError on %s', (top, field) => {
    expect(parseErrorOf(alertmanagerSource, notification({}, top)).field).toBe(field);
  });

  test.each([
    [{ fingerprint: {} }, 'alerts[0].fingerprint'],
    [{ generatorURL: [] }, 'alerts[0].generatorURL'],
    [{ status: 7 }, 'alerts[0].status'],
  ])('when the alert has %j, then a ValidationError on %s', (alert, field) => {
    expect(parseErrorOf(alertmanagerSource, notification(alert)).field).toBe(field);
  });

  test.each([[null], ['text'], [42]])('when the body is %j, then a ValidationError on payload', (body) => {
    expect(parseErrorOf(alertmanagerSource, body).field).toBe('payload');
  });

  test('when alerts is empty, then it is ignored, naming Alertmanager', () => {
    expect(parseBody(alertmanagerSource, notification({}, { alerts: [] }))).toEqual({
      alerts: [],
      ignored: 'Alertmanager notification with no alerts',
    });
  });

  test('when fields nobody knows are sent, then they are ignored', () => {
    const alert = onlyAlertOf(
      alertmanagerSource,
      notification({ extra: { deep: [1] } }, { version: '5', future: true }),
    );
    expect(alert.source).toBe('alertmanager');
  });

  test('when the source is asked, then it takes JSON only and does not sign', () => {
    expect(alertmanagerSource.name).toBe('alertmanager');
    expect(alertmanagerSource.bodyFormats).toEqual(['json']);
    expect(alertmanagerSource.signature).toBeUndefined();
  });
});
