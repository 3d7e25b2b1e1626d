/**
 * The Grafana Alerting webhook source: its fixtures as the generic table runs them, then what one fixture cannot
 * show: pairs of notifications, the test alert, the rule id, offsets, and the HMAC signature.
 */
import { alertmanagerSource } from '../../src/sources/alertmanager/alertmanager.source';
import {
  GRAFANA_SIGNATURE_HEADER,
  GRAFANA_TIMESTAMP_HEADER,
  verifyGrafanaSignature,
} from '../../src/sources/grafana/grafana.signature';
import { grafanaSource, signGrafanaRequest } from '../../src/sources/grafana/grafana.source';
import { LIMITS } from '../../src/payloads/values';
import type { SignedRequest } from '../../src/sources/source';
import { onlyAlertOf, onlyFixtureAlert, sourceContext } from '../helpers/source-tests';

const NAME = 'grafana';

type Body = Record<string, unknown>;

/** A one-alert Grafana notification; `alert` and `top` override its alert's and its own fields. */
function notification(alert: Body = {}, top: Body = {}): Body {
  return {
    receiver: 'hindsight',
    status: 'firing',
    orgId: 1,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Disk full', grafana_folder: 'Infra' },
        annotations: { summary: 'Disk almost full' },
        startsAt: '2026-06-14T12:00:00+02:00',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'https://grafana.example.com/alerting/grafana/u1/view',
        fingerprint: '1111222233334444',
        ...alert,
      },
    ],
    groupLabels: { alertname: 'Disk full' },
    version: '1',
    groupKey: '{}:{alertname="Disk full"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] Disk full Infra',
    ...top,
  };
}

describe('grafana alerts', () => {
  test('when the lifecycle trigger and recovery are read, then they share groupKey and alertKey, and are different events in time order', () => {
    const trigger = onlyFixtureAlert(grafanaSource, NAME, 'firing-trigger');
    const recovery = onlyFixtureAlert(grafanaSource, NAME, 'resolved-recovery');
    expect([recovery.groupKey, recovery.alertKey]).toEqual([trigger.groupKey, trigger.alertKey]);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect(new Date(recovery.at).getTime()).toBeGreaterThan(new Date(trigger.at).getTime());
  });

  test("when the other HA instance sends a stale firing after the group's resolved, then it gets exactly the original firing's eventId", () => {
    const firing = onlyFixtureAlert(grafanaSource, NAME, 'firing-trigger');
    const stale = onlyFixtureAlert(grafanaSource, NAME, 'stale-ha-firing');
    expect(stale.eventId).toBe(firing.eventId);
    expect(stale.eventId).not.toBe(onlyFixtureAlert(grafanaSource, NAME, 'resolved-recovery').eventId);
  });

  test('when the keys are read, then they are prefixed grafana, unlike the same alert sent by Alertmanager', () => {
    const body = notification();
    const alert = onlyAlertOf(grafanaSource, body);
    expect(alert.eventId).toMatch(/^grafana:[0-9a-f]{32}$/);
    expect(alert.groupKey).toMatch(/^grafana:[0-9a-f]{32}$/);
    expect(alert.alertKey).toBe(`${alert.groupKey}|1111222233334444`);
    const context = sourceContext(JSON.stringify(body));
    const fromAlertmanager = alertmanagerSource.parse(body, context).alerts[0]!;
    expect(fromAlertmanager.eventId.replace(/^alertmanager:/, 'grafana:')).toBe(alert.eventId);
    expect(fromAlertmanager.groupKey).not.toBe(alert.groupKey);
    expect(fromAlertmanager.monitor.id).toBe('Disk full');
    expect(alert.monitor.id).toBe('Infra/Disk full');
  });

  test.each([
    ['2026-06-14T12:00:00+02:00', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T12:00:00+0200', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T05:30:00-04:30', '2026-06-14T10:00:00.000Z'],
    ['2026-06-14T10:00:00.999999999Z', '2026-06-14T10:00:00.999Z'],
  ])('when startsAt is %s, then the alert is at %s', (startsAt, at) => {
    const alert = onlyAlertOf(grafanaSource, notification({ startsAt }));
    expect([alert.at, alert.atOrigin]).toEqual([at, 'source']);
  });

  test.each([
    [{ alertname: 'TestAlert', instance: 'Grafana' }, {}, true],
    [{ alertname: 'TestAlert', instance: 'db-1' }, { summary: 'Notification test' }, true],
    [{ alertname: 'TestAlert', instance: 'db-1' }, { summary: 'Checking the pager' }, false],
    [{ alertname: 'Disk full', instance: 'Grafana' }, { summary: 'Notification test' }, false],
    [{ alertname: 'testalert', instance: 'Grafana' }, {}, false],
    [{ instance: 'Grafana' }, {}, false],
  ])('when the labels are %j and the annotations %j, then isTest is %s', (labels, annotations, isTest) => {
    expect(onlyAlertOf(grafanaSource, notification({ labels, annotations })).isTest).toBe(isTest);
  });

  const silence = (matchers: string[]) =>
    `https://grafana.example.com/alerting/silence/new?alertmanager=grafana&${matchers.map((m) => `matcher=${encodeURIComponent(m)}`).join('&')}&orgId=1`;
  test.each([
    [{ ruleUID: 'r1' }, 'r1'],
    [{ ruleUID: 'r1', silenceURL: silence(['__alert_rule_uid__=r2']) }, 'r1'],
    [{ ruleUID: '', silenceURL: silence(['__alert_rule_uid__=r2']) }, 'r2'],
    [{ silenceURL: silence(['alertname=Disk full', '__alert_rule_uid__=r2', 'instance=a']) }, 'r2'],
    [{ silenceURL: silence(['__alert_rule_uid__=']) }, 'Infra/Disk full'],
    [{ silenceURL: silence(['__alert_rule_uid__=not a uid']) }, 'Infra/Disk full'],
    [{ silenceURL: silence(['x__alert_rule_uid__=r2']) }, 'Infra/Disk full'],
    [{ silenceURL: 'not a url' }, 'Infra/Disk full'],
    // Grafana drops `__…__` labels before sending: one in the labels is any label, not the rule.
    [
      { labels: { __alert_rule_uid__: 'r3', alertname: 'Disk full', grafana_folder: 'Infra' } },
      'Infra/Disk full',
    ],
    [{ labels: { alertname: 'Disk full' } }, 'Disk full'],
    [{ labels: { grafana_folder: 'Infra' } }, null],
    [{ labels: {} }, null],
  ])('when the alert carries %j, then the monitor id is %j', (alert, id) => {
    expect(onlyAlertOf(grafanaSource, notification(alert)).monitor.id).toBe(id);
  });

  test('when the alert has a summary or an alertname, then the notification title is not used', () => {
    expect(onlyAlertOf(grafanaSource, notification()).title).toBe('Disk almost full');
    expect(onlyAlertOf(grafanaSource, notification({ annotations: {} })).title).toBe('Disk full');
  });

  test('when the notification title is the only title and is too long, then it is capped', () => {
    const title = 'T'.repeat(LIMITS.title + 20);
    const alert = onlyAlertOf(
      grafanaSource,
      notification({ labels: { team: 'a' }, annotations: {} }, { title }),
    );
    expect(alert.title).toHaveLength(LIMITS.title);
  });

  test('when there is no title at all, then the title names the fingerprint', () => {
    const alert = onlyAlertOf(
      grafanaSource,
      notification({ labels: {}, annotations: {} }, { title: undefined }),
    );
    expect(alert.title).toBe('Alert 1111222233334444');
  });

  test('when Grafana resolves the group, then its alerts recover at their endsAt, written with an offset', () => {
    const alert = onlyAlertOf(
      grafanaSource,
      notification({ status: 'resolved', endsAt: '2026-06-14T12:02:00+02:00' }, { status: 'resolved' }),
    );
    expect([alert.transition, alert.at]).toEqual(['recovered', '2026-06-14T10:02:00.000Z']);
  });

  test('when the title is an object, then a ValidationError on title', () => {
    expect(() => onlyAlertOf(grafanaSource, notification({}, { title: { text: 'x' } }))).toThrow(
      expect.objectContaining({ field: 'title' }),
    );
  });

  test('when the source is asked, then it takes JSON and is signed in the Grafana signature header', () => {
    expect(grafanaSource.name).toBe('grafana');
    expect(grafanaSource.bodyFormats).toEqual(['json']);
    expect(grafanaSource.signature?.header).toBe('X-Grafana-Alerting-Signature');
  });
});

describe('grafana signature', () => {
  const SECRET = 'grafana-contact-point-secret-1';
  const NOW = new Date('2026-06-14T10:02:30Z');
  const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

  function requestOf(body: string, headers: Record<string, string>, toleranceSeconds = 300): SignedRequest {
    const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      raw: Buffer.from(body, 'utf8'),
      header: (name) => byName.get(name.toLowerCase()),
      now: NOW,
      toleranceSeconds,
    };
  }

  const verify = (request: SignedRequest, secret = SECRET) =>
    grafanaSource.signature!.verify(request, secret);

  test('when the header names are read, then they are the Grafana signature header and the timestamp header Hindsight reads', () => {
    expect(GRAFANA_SIGNATURE_HEADER).toBe('X-Grafana-Alerting-Signature');
    expect(GRAFANA_TIMESTAMP_HEADER).toBe('X-Grafana-Alerting-Timestamp');
    expect(grafanaSource.signature!.verify).toBe(verifyGrafanaSignature);
  });

  test('when a body is signed without a timestamp, then the signature is the hex HMAC-SHA256 of the body', () => {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published test vector.
    expect(signGrafanaRequest('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  test('when a body is signed with a timestamp, then the signed text is "<timestamp>:<body>"', () => {
    expect(signGrafanaRequest('key', '{"a":1}', 1781431350)).toBe(
      signGrafanaRequest('key', '1781431350:{"a":1}'),
    );
    expect(signGrafanaRequest('key', Buffer.from('{"a":1}'), '1781431350')).toBe(
      signGrafanaRequest('key', '{"a":1}', 1781431350),
    );
  });

  test('when the body is signed without a timestamp, then it verifies', () => {
    const body = '{"status":"firing"}';
    expect(verify(requestOf(body, { [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body) }))).toBe(
      true,
    );
  });

  test('when the body is signed with a fresh timestamp, in upper-case hex and padded, then it verifies', () => {
    const body = '{"status":"firing"}';
    const signature = signGrafanaRequest(SECRET, body, NOW_SECONDS - 20).toUpperCase();
    const headers = {
      [GRAFANA_SIGNATURE_HEADER]: ` ${signature} `,
      [GRAFANA_TIMESTAMP_HEADER]: ` ${NOW_SECONDS - 20} `,
    };
    expect(verify(requestOf(body, headers))).toBe(true);
  });

  test.each([
    ['at the edge of the tolerance in the past', -300, true],
    ['just past the tolerance in the past', -301, false],
    ['at the edge of the tolerance in the future', 300, true],
    ['just past the tolerance in the future', 301, false],
  ])('when the timestamp is %s, then verify is %s', (_when, offset, ok) => {
    const body = '{"status":"firing"}';
    const ts = NOW_SECONDS + offset;
    const headers = {
      [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body, ts),
      [GRAFANA_TIMESTAMP_HEADER]: String(ts),
    };
    expect(verify(requestOf(body, headers))).toBe(ok);
  });

  test('when the tolerance is shorter, then a timestamp within the default is refused', () => {
    const body = '{}';
    const ts = NOW_SECONDS - 60;
    const headers = {
      [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body, ts),
      [GRAFANA_TIMESTAMP_HEADER]: String(ts),
    };
    expect(verify(requestOf(body, headers, 59))).toBe(false);
    expect(verify(requestOf(body, headers, 60))).toBe(true);
  });

  test('when the body, the timestamp or the secret differ from what was signed, then it is refused', () => {
    const body = '{"status":"firing"}';
    const ts = NOW_SECONDS;
    const signature = signGrafanaRequest(SECRET, body, ts);
    const good = { [GRAFANA_SIGNATURE_HEADER]: signature, [GRAFANA_TIMESTAMP_HEADER]: String(ts) };
    expect(verify(requestOf(body, good))).toBe(true);
    expect(verify(requestOf('{"status":"resolved"}', good))).toBe(false);
    expect(verify(requestOf(body, { ...good, [GRAFANA_TIMESTAMP_HEADER]: String(ts - 1) }))).toBe(false);
    expect(verify(requestOf(body, good), `${SECRET}x`)).toBe(false);
  });

  test('when the signature is made over the body alone but a timestamp is sent, then it is refused (and the other way round)', () => {
    const body = '{}';
    const bodyOnly = {
      [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body),
      [GRAFANA_TIMESTAMP_HEADER]: String(NOW_SECONDS),
    };
    expect(verify(requestOf(body, bodyOnly))).toBe(false);
    const stamped = { [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body, NOW_SECONDS) };
    expect(verify(requestOf(body, stamped))).toBe(false);
  });

  test.each([
    ['one more hex digit (an odd length Buffer would cut)', '0'],
    ['a tail that is not hex (Buffer would stop before it)', 'zz'],
  ])('when a good signature has %s, then it is refused', (_what, tail) => {
    const body = '{}';
    const signature = `${signGrafanaRequest(SECRET, body)}${tail}`;
    expect(verify(requestOf(body, { [GRAFANA_SIGNATURE_HEADER]: signature }))).toBe(false);
  });

  test('when the secret was rotated, then a signature made with the old secret is refused and one with the new verifies', () => {
    const body = '{}';
    const oldSecret = 'old-grafana-secret-0001';
    const newSecret = 'new-grafana-secret-0002';
    const signedWith = (secret: string) =>
      requestOf(body, { [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(secret, body) });
    expect(verify(signedWith(oldSecret), newSecret)).toBe(false);
    expect(verify(signedWith(newSecret), newSecret)).toBe(true);
  });

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['not hex', 'z'.repeat(64)],
    ['too short', 'a'.repeat(62)],
    ['too long', 'a'.repeat(66)],
    ['prefixed like GitHub', `sha256=${'a'.repeat(64)}`],
  ])('when the signature is %s, then it is refused without throwing', (_what, signature) => {
    const headers: Record<string, string> =
      signature === undefined ? {} : { [GRAFANA_SIGNATURE_HEADER]: signature };
    expect(verify(requestOf('{}', headers))).toBe(false);
  });

  test.each([[''], ['abc'], ['1781431350.5'], ['-1781431350'], ['1e9'], ['1234567890123']])(
    'when the timestamp header is %j, then the request is refused',
    (timestamp) => {
      const body = '{}';
      const headers = {
        [GRAFANA_SIGNATURE_HEADER]: signGrafanaRequest(SECRET, body, timestamp),
        [GRAFANA_TIMESTAMP_HEADER]: timestamp,
      };
      expect(verify(requestOf(body, headers, Number.MAX_SAFE_INTEGER))).toBe(false);
    },
  );

  test('when the signed bytes are not UTF-8 text, then the exact bytes are what is verified', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const request: SignedRequest = {
      raw,
      header: (name) => (name === GRAFANA_SIGNATURE_HEADER ? signGrafanaRequest(SECRET, raw) : undefined),
      now: NOW,
      toleranceSeconds: 300,
    };
    expect(verify(request)).toBe(true);
    expect(verify({ ...request, raw: Buffer.from(raw.toString('utf8'), 'utf8') })).toBe(false);
  });
});
