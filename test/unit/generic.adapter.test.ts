/**
 * The generic source: its fixtures (as the table test runs them), then what one fixture cannot show: the pairing
 * of a trigger and its recovery, eventIds of list bodies, caps, and the shared context keys.
 */
import type { SourceResult } from '../../src/sources';
import { toGenericAlerts } from '../../src/sources/generic/generic.adapter';
import type { GenericAlertInput } from '../../src/sources/generic/generic.payload';
import { genericSource } from '../../src/sources/generic/generic.source';
import { LIMITS, digestOf, payloadEventId } from '../../src/payloads/values';
import { parseFixture, type SourceFixture } from '../helpers/source-fixtures';
import { fixtureAlerts, validationErrorOf } from '../helpers/source-tests';

/** The body sent as an application/json request, read as the route reads it. */
function parseRequest(body: unknown, context: SourceFixture['context'] = {}): SourceResult {
  return parseFixture(genericSource, {
    file: 'inline.json',
    description: 'inline',
    contentType: 'application/json',
    body,
    context,
  });
}

const alertBody = (extra: Record<string, unknown> = {}) => ({
  key: 'k',
  title: 'T',
  status: 'triggered',
  ...extra,
});

describe('generic source', () => {
  test('when the source is read, then it is named generic and takes JSON only', () => {
    expect(genericSource.name).toBe('generic');
    expect(genericSource.bodyFormats).toEqual(['json']);
    expect(genericSource.signature).toBeUndefined();
    expect(genericSource.settings).toBeUndefined();
  });

  test('when the trigger and recovery fixtures are parsed, then they share groupKey and alertKey, differ in eventId, and the recovery is later', () => {
    const [trigger] = fixtureAlerts(genericSource, 'generic', 'triggered');
    const [recovery] = fixtureAlerts(genericSource, 'generic', 'recovered');
    expect(trigger!.transition).toBe('triggered');
    expect(recovery!.transition).toBe('recovered');
    expect(recovery!.groupKey).toBe(trigger!.groupKey);
    expect(recovery!.alertKey).toBe(trigger!.alertKey);
    expect(recovery!.eventId).not.toBe(trigger!.eventId);
    expect(Date.parse(recovery!.at)).toBeGreaterThan(Date.parse(trigger!.at));
  });

  test('when a list body holds one alert without an id, then its eventId is the body digest', () => {
    const body = { alerts: [alertBody()] };
    const [alert] = parseRequest(body).alerts;
    expect(alert!.eventId).toBe(payloadEventId(JSON.stringify(body)));
  });

  test('when a list mixes an alert with an id and one without, then the first uses its id and the second the body and its position', () => {
    const body = { alerts: [alertBody({ id: 'e-1' }), alertBody({ key: 'k2' })] };
    const alerts = parseRequest(body).alerts;
    expect(alerts.map((a) => a.eventId)).toEqual([
      'generic:e-1',
      `sha256:${digestOf(JSON.stringify(body), '1')}`,
    ]);
  });

  test('when the same list body arrives twice, then its alerts keep their eventIds', () => {
    const body = { alerts: [alertBody(), alertBody({ key: 'k2' })] };
    expect(parseRequest(body).alerts.map((a) => a.eventId)).toEqual(
      parseRequest(body).alerts.map((a) => a.eventId),
    );
  });

  test('when the body is empty of alerts, then the ignored reason names the alerts list', () => {
    expect(parseRequest({ alerts: [] })).toEqual({
      alerts: [],
      ignored: 'the body\'s "alerts" list is empty',
    });
  });

  test('when a body lists more alerts than the cap, then it is refused naming alerts', () => {
    const body = { alerts: Array.from({ length: LIMITS.alerts + 1 }, () => alertBody()) };
    expect(validationErrorOf(() => parseRequest(body)).field).toBe('alerts');
  });

  test('when a body lists exactly the cap of alerts, then all are taken', () => {
    const body = { alerts: Array.from({ length: LIMITS.alerts }, (_, i) => alertBody({ key: `k${i}` })) };
    expect(parseRequest(body).alerts).toHaveLength(LIMITS.alerts);
  });

  test('when an item of the alerts list is not an object, then the error names that item', () => {
    expect(validationErrorOf(() => parseRequest({ alerts: [alertBody(), 'x'] })).field).toBe('alerts[1]');
  });

  test('when alerts is null, then it is refused as no list', () => {
    expect(validationErrorOf(() => parseRequest({ alerts: null })).message).toBe(
      'alerts: must be a list of alert objects',
    );
  });

  test('when the context names service and host keys, then only those labels feed services and hosts', () => {
    const body = alertBody({ labels: { service: 'a', app: 'b', host: 'h1', node: 'h2' } });
    const [byDefault] = parseRequest(body).alerts;
    expect(byDefault!.services).toEqual(['a']);
    expect(byDefault!.hosts).toEqual(['h1']);
    const [custom] = parseRequest(body, { serviceTagKeys: ['app'], hostTagKeys: ['node'] }).alerts;
    expect(custom!.services).toEqual(['b']);
    expect(custom!.hosts).toEqual(['h2']);
  });

  test('when native services and a service label repeat each other, then the service is listed once, native first', () => {
    const [alert] = parseRequest(alertBody({ services: ['b', 'a'], labels: { service: 'a' } })).alerts;
    expect(alert!.services).toEqual(['b', 'a']);
  });

  test('when the title, message and a label are longer than their caps, then each is cut to its cap', () => {
    const [alert] = parseRequest(
      alertBody({
        title: 't'.repeat(LIMITS.title + 1),
        message: 'm'.repeat(LIMITS.message + 1),
        labels: { ['k'.repeat(LIMITS.text + 1)]: 'v'.repeat(LIMITS.text + 1) },
      }),
    ).alerts;
    expect(alert!.title).toHaveLength(LIMITS.title);
    expect(alert!.monitor.name).toHaveLength(LIMITS.title);
    expect(alert!.message).toHaveLength(LIMITS.message);
    expect(alert!.tags[0]!.key).toHaveLength(LIMITS.text);
    expect(alert!.tags[0]!.value).toHaveLength(LIMITS.text);
  });

  test('when the body carries __proto__ fields, then no object prototype changes', () => {
    parseRequest(JSON.parse('{"__proto__": {"polluted": true}, "key": "k", "title": "T", "status": "ok"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('when an epoch in milliseconds is sent, then it is read as such', () => {
    const [alert] = parseRequest(alertBody({ at: 1781431200123 })).alerts;
    expect(alert!.at).toBe('2026-06-14T10:00:00.123Z');
    expect(alert!.atOrigin).toBe('source');
  });

  test('when an ISO time without a zone is sent, then it is read as UTC', () => {
    expect(parseRequest(alertBody({ at: '2026-06-14T09:59:00' })).alerts[0]!.at).toBe(
      '2026-06-14T09:59:00.000Z',
    );
  });

  test('when the time is before 2000, then the receipt time is used', () => {
    const [alert] = parseRequest(alertBody({ at: '1999-12-31T23:59:59Z' })).alerts;
    expect(alert!.atOrigin).toBe('received');
    expect(alert!.at).toBe('2026-06-14T10:02:30.000Z');
  });

  test('when at is an empty string, then the receipt time is used', () => {
    expect(parseRequest(alertBody({ at: '' })).alerts[0]!.atOrigin).toBe('received');
  });

  test('when at is a boolean, then the error names at', () => {
    expect(validationErrorOf(() => parseRequest(alertBody({ at: true }))).field).toBe('at');
  });
});

describe('toGenericAlerts', () => {
  const input = (extra: Partial<GenericAlertInput> = {}): GenericAlertInput => ({
    id: null,
    key: 'k',
    alert: null,
    title: 'T',
    status: 'firing',
    transition: 'triggered',
    at: null,
    severity: null,
    services: [],
    hosts: [],
    labels: [],
    link: null,
    message: '',
    isTest: false,
    cycle: null,
    ...extra,
  });
  const context = () => ({
    receivedAt: new Date('2026-06-14T10:02:30Z'),
    rawBody: '{"x":1}',
    serviceTagKeys: ['service'],
    hostTagKeys: ['host'],
    header: () => undefined,
    settings: undefined,
  });

  test('when a source name is given, then it prefixes the source, eventId and groupKey', () => {
    const [alert] = toGenericAlerts('generic/ci', [input({ id: 'e', alert: 'job' })], context());
    expect(alert).toMatchObject({
      source: 'generic/ci',
      eventId: 'generic/ci:e',
      groupKey: 'generic/ci:k',
      alertKey: 'generic/ci:k|job',
      scope: 'job',
      rawTransition: 'firing',
    });
  });

  test('when one input has no id, then its eventId is the raw body digest', () => {
    expect(toGenericAlerts('generic', [input()], context())[0]!.eventId).toBe(payloadEventId('{"x":1}'));
  });

  test('when two inputs have no id, then each eventId digests the raw body and its index', () => {
    const alerts = toGenericAlerts('generic', [input(), input()], context());
    expect(alerts.map((a) => a.eventId)).toEqual([
      `sha256:${digestOf('{"x":1}', '0')}`,
      `sha256:${digestOf('{"x":1}', '1')}`,
    ]);
  });

  test('when the input has a time, then it is the alert time', () => {
    const [alert] = toGenericAlerts('generic', [input({ at: new Date('2026-06-14T10:00:00Z') })], context());
    expect(alert).toMatchObject({ at: '2026-06-14T10:00:00.000Z', atOrigin: 'source' });
  });
});
