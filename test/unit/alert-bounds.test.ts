import type { Alert } from '../../src/domain/alert';
import { ValidationError } from '../../src/errors';
import { ALERT_BOUNDS, boundAlert } from '../../src/payloads/alert-bounds';
import { acceptableAlerts, alertSchema } from '../../src/queue/jobs';
import { at, makeAlert } from '../helpers/alerts';

const trigger = (overrides: Partial<Alert> = {}) =>
  makeAlert({ transition: 'triggered', at: at('10:00'), ...overrides });

function refusal(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('an alert held to its bounds', () => {
  test('when a scope is 800 KB, then it keeps its first 1,000 characters, and the schema the worker applies takes it', () => {
    const bounded = boundAlert(trigger({ scope: `host:${'x'.repeat(800_000)}` }));
    expect(bounded.scope).toHaveLength(ALERT_BOUNDS.scope);
    expect(bounded.scope!.startsWith('host:xxx')).toBe(true);
    expect(alertSchema.safeParse(bounded).success).toBe(true);
  });

  test('when 20,000 service and host tags come with one alert, then it keeps the first 50 distinct of each, and at most 200 labels', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `svc-${i % 10_000}`);
    const bounded = boundAlert(
      trigger({
        services: many,
        hosts: ['', ...many],
        tags: many.map((value) => ({ key: 'service', value })),
      }),
    );
    expect(bounded.services).toEqual(many.slice(0, 50));
    expect(bounded.hosts).toEqual(many.slice(0, 50));
    expect(bounded.tags).toHaveLength(ALERT_BOUNDS.tags);
    expect(alertSchema.safeParse(bounded).success).toBe(true);
  });

  test('when keys are longer than 500 characters, then each keeps its start and a digest: different keys stay different, the same key stays the same', () => {
    const long = 'datadog:monitor:' + 'a'.repeat(2_000);
    const a = boundAlert(trigger({ groupKey: long, alertKey: `${long}|1`, eventId: `${long}#1` }));
    const b = boundAlert(trigger({ groupKey: `${long}b`, alertKey: `${long}|2`, eventId: `${long}#1` }));
    expect(a.groupKey.length).toBeLessThanOrEqual(ALERT_BOUNDS.key);
    expect(a.groupKey.startsWith('datadog:monitor:aaa')).toBe(true);
    expect(a.groupKey).not.toBe(b.groupKey);
    expect(a.alertKey).not.toBe(b.alertKey);
    expect(a.eventId).toBe(b.eventId);
    expect(boundAlert(trigger({ groupKey: long })).groupKey).toBe(a.groupKey);
    // A key within the bound is kept as it is.
    expect(boundAlert(trigger({ groupKey: 'datadog:monitor:7' })).groupKey).toBe('datadog:monitor:7');
  });

  test('when text holds NUL characters, then they are removed everywhere, labels included', () => {
    const bounded = boundAlert(
      trigger({
        title: 'CPU\u0000 high',
        message: '\u0000',
        scope: 'host:\u0000web',
        tags: [{ key: 'te\u0000am', value: 'o\u0000ps' }],
        services: ['we\u0000b', '\u0000'],
      }),
    );
    expect(bounded).toMatchObject({ title: 'CPU high', message: '', scope: 'host:web', services: ['web'] });
    expect(bounded.tags).toEqual([{ key: 'team', value: 'ops' }]);
    expect(JSON.stringify(bounded)).not.toContain('\\u0000');
  });

  test('when a cut would end in half a surrogate pair, then that half is left out', () => {
    const title = 'a'.repeat(ALERT_BOUNDS.title - 1) + '😀';
    const bounded = boundAlert(trigger({ title }));
    expect(bounded.title).toBe('a'.repeat(ALERT_BOUNDS.title - 1));
  });

  test('when values are exactly at their bounds, then they are kept as they are', () => {
    const key = `datadog:monitor:${'k'.repeat(ALERT_BOUNDS.key - 16)}`;
    const url = `https://app.datadoghq.com/monitors/1?${'q'.repeat(ALERT_BOUNDS.monitorUrl - 37)}`;
    expect(key).toHaveLength(ALERT_BOUNDS.key);
    expect(url).toHaveLength(ALERT_BOUNDS.monitorUrl);
    const bounded = boundAlert(trigger({ groupKey: key, monitor: { id: '1', name: 'm', url, query: null } }));
    expect(bounded.groupKey).toBe(key);
    expect(bounded.monitor.url).toBe(url);
    // One more character and the key gains its digest.
    expect(boundAlert(trigger({ groupKey: `${key}x` })).groupKey).not.toBe(`${key}x`);
  });

  test('when a long text holds a surrogate pair well before the cut, then the cut keeps its full length', () => {
    const title = '😀' + 'a'.repeat(ALERT_BOUNDS.title * 2);
    expect(boundAlert(trigger({ title })).title).toHaveLength(ALERT_BOUNDS.title);
  });

  test('when a monitor link is longer than 2,000 characters, then it is dropped rather than kept broken', () => {
    const url = `https://app.datadoghq.com/monitors/1?${'q'.repeat(3_000)}`;
    const bounded = boundAlert(trigger({ monitor: { id: '1', name: 'm', url, query: null } }));
    expect(bounded.monitor.url).toBeNull();
  });
});

describe('the alerts a request may queue', () => {
  test('when an alert is dated in the year 10000, then the request is refused naming the alert time, as the worker would refuse it', () => {
    const alert = trigger({ at: new Date('+010000-01-01T00:00:00Z').toISOString() });
    expect(alertSchema.safeParse(alert).success).toBe(false);
    expect(refusal(() => acceptableAlerts([alert], '{}'))).toEqual({
      field: 'alert.at',
      message: 'alert.at: is not a time Hindsight can keep (ISO-8601, years 0000 to 9999)',
    });
  });

  test('when the third of three alerts is bad, then the field names it by its place', () => {
    const alerts = [trigger(), trigger(), trigger({ title: '' })];
    expect(refusal(() => acceptableAlerts(alerts, '{}')).field).toBe('alerts.2.title');
  });

  test('when the body holds a NUL character, then it is refused whole', () => {
    expect(refusal(() => acceptableAlerts([trigger()], 'a=\u0000'))).toEqual({
      field: 'body',
      message: 'body: contains a NUL character, which cannot be stored',
    });
  });

  test('when alerts are within bounds, then they are queued as the adapter made them', () => {
    const alert = trigger();
    expect(acceptableAlerts([alert], '{}')).toEqual([alert]);
  });
});
