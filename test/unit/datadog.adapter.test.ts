import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../src/domain/alert';
import { ValidationError } from '../../src/errors';
import {
  DATADOG_CUSTOM_TEMPLATE,
  parseDatadogWebhook,
  type DatadogParseContext,
} from '../../src/sources/datadog/datadog.adapter';

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'datadog');
const FORM = 'application/x-www-form-urlencoded';
const DEFAULT_CONTEXT = {
  receivedAt: '2026-06-14T10:02:30Z',
  serviceTagKeys: ['service'],
  hostTagKeys: ['host'],
};

interface Fixture {
  file: string;
  description: string;
  contentType: string;
  body: unknown;
  context?: Partial<typeof DEFAULT_CONTEXT>;
  expect?: Record<string, unknown>;
  expectError?: { field: string };
}

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Omit<Fixture, 'file'>),
    }));
}

const fixtures = loadFixtures();

function contextFor(rawBody: string, overrides: Fixture['context'] = {}): DatadogParseContext {
  const merged = { ...DEFAULT_CONTEXT, ...overrides };
  return {
    rawBody,
    receivedAt: new Date(merged.receivedAt),
    serviceTagKeys: merged.serviceTagKeys,
    hostTagKeys: merged.hostTagKeys,
  };
}

/** The body and raw text the webhook route would hand the adapter. */
function requestOf(fixture: Fixture): { body: unknown; ctx: DatadogParseContext } {
  if (fixture.contentType === FORM) {
    const raw = String(fixture.body);
    return { body: Object.fromEntries(new URLSearchParams(raw)), ctx: contextFor(raw, fixture.context) };
  }
  if (typeof fixture.body === 'string') {
    return { body: JSON.parse(fixture.body) as unknown, ctx: contextFor(fixture.body, fixture.context) };
  }
  return { body: fixture.body, ctx: contextFor(JSON.stringify(fixture.body), fixture.context) };
}

function fixtureNamed(name: string): Fixture {
  const fixture = fixtures.find((candidate) => candidate.file === `${name}.json`);
  if (fixture === undefined) throw new Error(`no fixture ${name}.json`);
  return fixture;
}

function alertOf(name: string): Alert {
  const { body, ctx } = requestOf(fixtureNamed(name));
  const alerts = parseDatadogWebhook(body, ctx);
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}

/** Runs the adapter and returns what it threw, or fails the test if it returned. */
function errorOf(body: unknown, ctx: DatadogParseContext = contextFor(JSON.stringify(body) ?? '')): unknown {
  try {
    parseDatadogWebhook(body, ctx);
  } catch (error) {
    return error;
  }
  throw new Error('expected a ValidationError, got alerts');
}

function minimal(fields: Record<string, unknown>): Alert {
  const body = { alert_id: '40302099', alert_title: 'Minimal monitor', date: '1781431200000', ...fields };
  return parseDatadogWebhook(body, contextFor(JSON.stringify(body)))[0] as Alert;
}

describe('parseDatadogWebhook', () => {
  test('when one monitor fires on two hosts, then both alerts share the groupKey and differ in alertKey; the recovery matches its trigger', () => {
    const web1 = alertOf('default-triggered-web-1');
    const web2 = alertOf('default-triggered-web-2');
    const recovered = alertOf('default-recovered-web-1');
    expect(web1.groupKey).toBe(web2.groupKey);
    expect(web1.alertKey).not.toBe(web2.alertKey);
    expect(recovered.alertKey).toBe(web1.alertKey);
  });

  test('when a warn turns into an alert, then both notifications carry the same cycle key', () => {
    const warn = alertOf('custom-warn');
    const triggered = alertOf('custom-triggered-after-warn');
    expect([warn.transition, triggered.transition]).toEqual(['warn', 'triggered']);
    expect(warn.cycleKey).not.toBeNull();
    expect(triggered.cycleKey).toBe(warn.cycleKey);
  });

  test('when no $ID is sent, then the same bytes give the same eventId and different bytes a different one', () => {
    const body = {
      alert_id: '40302030',
      alert_transition: 'Triggered',
      alert_title: 'Cron job late',
      id: '$ID',
    };
    const raw = JSON.stringify(body);
    const first = parseDatadogWebhook(body, contextFor(raw))[0];
    const again = parseDatadogWebhook(JSON.parse(raw), contextFor(raw))[0];
    const otherBytes = parseDatadogWebhook(body, contextFor(JSON.stringify(body, null, 2)))[0];
    expect(first?.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again?.eventId).toBe(first?.eventId);
    expect(otherBytes?.eventId).not.toBe(first?.eventId);
  });

  test('when two events carry the literal $ALERT_CYCLE_KEY, then neither has a cycle key, so they cannot share one', () => {
    const first = minimal({
      alert_transition: 'Triggered',
      alert_cycle_key: '$ALERT_CYCLE_KEY',
      id: '7311000000000000001',
    });
    const second = minimal({
      alert_transition: 'Recovered',
      alert_cycle_key: '$ALERT_CYCLE_KEY',
      id: '7311000000000000002',
    });
    expect([first.cycleKey, second.cycleKey]).toEqual([null, null]);
  });

  test('when the unquoted-numbers fixture is parsed as JSON, then its ids really are rounded, so the exact digits came from the raw text', () => {
    const raw = String(fixtureNamed('custom-unquoted-numbers').body);
    const parsed = JSON.parse(raw) as { id: number; alert_cycle_key: number };
    expect(String(parsed.id)).not.toBe('7311236534862295557');
    expect(String(parsed.alert_cycle_key)).not.toBe('7311236534862290001');
    expect(alertOf('custom-unquoted-numbers').eventId).toBe('datadog:7311236534862295557');
  });

  test('when the payload carries __proto__ and constructor keys, then no prototype is touched and their contents are ignored', () => {
    const alert = alertOf('custom-hostile-keys');
    expect(alert.transition).toBe('triggered');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(alert)).toBe(Object.prototype);
  });

  test('when a field is only inherited from the body prototype, then it is not read', () => {
    const body = Object.assign(Object.create({ alert_transition: 'Recovered', alert_id: '1' }) as object, {
      alert_title: 'Inherited fields',
      event_title: '[Triggered] Inherited fields',
    });
    const alert = parseDatadogWebhook(body, contextFor(JSON.stringify(body)))[0];
    expect(alert?.transition).toBe('triggered');
    expect(alert?.monitor.id).toBeNull();
  });

  test.each([
    ['Triggered', 'triggered'],
    ['Re-Triggered', 'retriggered'],
    ['Re-triggered', 'retriggered'],
    ['Retriggered', 'retriggered'],
    ['Renotify', 'retriggered'],
    ['Warn', 'warn'],
    ['Re-Warn', 'warn'],
    ['No Data', 'no_data'],
    ['No data', 'no_data'],
    ['Re-No Data', 'no_data'],
    ['Recovered', 'recovered'],
    ['RECOVERED', 'recovered'],
  ])('when $ALERT_TRANSITION is %s, then the transition is %s and the word is kept', (word, transition) => {
    const alert = minimal({ alert_transition: word });
    expect(alert.transition).toBe(transition);
    expect(alert.rawTransition).toBe(word);
  });

  test('when $ALERT_TRANSITION is the documented "Null", then the title prefix decides', () => {
    expect(
      minimal({ alert_transition: 'Null', event_title: '[Warn on {host:db-1}] Replication lag' }).transition,
    ).toBe('warn');
  });

  test('when the title has a multi-tag group and an unknown bracket, then the group is normalized and the unknown bracket stays in the name', () => {
    const alert = minimal({
      alert_title: undefined,
      event_title: '[P4] [Triggered on { host:web-1 , env:prod }] [prod] API errors',
    });
    expect(alert.scope).toBe('env:prod,host:web-1');
    expect(alert.title).toBe('[prod] API errors');
    expect(alert.severity).toBe('P4');
    expect(alert.hosts).toEqual(['web-1']);
  });

  test('when $ALERT_SCOPE is * for a simple monitor, then there is no scope', () => {
    const alert = minimal({ alert_transition: 'Triggered', alert_scope: '*' });
    expect(alert.scope).toBeNull();
    expect(alert.alertKey).toBe('datadog:monitor:40302099|*');
  });

  test('when priorities come as a bare digit, lower case, or the event priority "normal", then only P1..P5 become a severity', () => {
    expect(minimal({ alert_transition: 'Triggered', alert_priority: '3' }).severity).toBe('P3');
    expect(minimal({ alert_transition: 'Triggered', alert_priority: 'p5' }).severity).toBe('P5');
    expect(minimal({ alert_transition: 'Triggered', priority: 'normal' }).severity).toBeNull();
  });

  test('when $DATE is not a date but $LAST_UPDATED is, then the event time comes from $LAST_UPDATED', () => {
    const alert = minimal({ alert_transition: 'Triggered', date: 'soon', last_updated: '1781431320000' });
    expect(alert.at).toBe('2026-06-14T10:02:00.000Z');
  });

  test('when the message and title are huge, then they are capped at 4000 and 500 characters', () => {
    const alert = minimal({
      alert_transition: 'Triggered',
      alert_title: 'T'.repeat(5000),
      event_msg: 'm'.repeat(100_000),
    });
    expect(alert.title).toHaveLength(500);
    expect(alert.monitor.name).toHaveLength(500);
    expect(alert.message).toHaveLength(4000);
  });

  test('when a form has one field that is not JSON, then the form is read as it is', () => {
    const error = errorOf({ payload: 'not json {' });
    expect((error as ValidationError).field).toBe('alert_transition');
  });

  test('when the input has any odd shape, then the adapter returns alerts or throws a ValidationError, nothing else', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i += 1) deep = { alert_title: deep };
    const boom = (): never => {
      throw new Error('boom');
    };
    const throwingProxy = new Proxy({}, { ownKeys: boom, getOwnPropertyDescriptor: boom });
    const triggered = (extra: object) => ({ alert_transition: 'Triggered', alert_title: 'x', ...extra });
    const wrongValues = [{ tags: [1, 2] }, { date: {} }, { id: { $gt: '' } }, { date: 1e300 }, { date: -5 }];
    const oddDates = [{ date: '99999-99-99' }, { date: '1e400' }, { date: '2026-13-45T99:99:99Z' }];
    const hugeLink = { event_msg: `https://app.datadoghq.com/monitors/${'9'.repeat(50_000)}` };
    const oddBodies: unknown[] = [
      ...[undefined, null, 42, 'text', true, [], {}, deep, throwingProxy, Object.create(null)],
      ...[...wrongValues, ...oddDates, hugeLink].map(triggered),
      { alert_transition: 5 },
      { alert_transition: 'Triggered', event_title: `[${'['.repeat(50_000)}` },
      { alert_transition: 'Triggered', alert_title: '[P1] [TEST]' },
      { payload: '{"alert_transition": "Triggered", "title": ["x"]}' },
      { payload: '[1,2]' },
      { hasOwnProperty: 'x', alert_transition: 'Warn' },
    ];
    for (const body of oddBodies) {
      let outcome: unknown;
      try {
        outcome = parseDatadogWebhook(body, contextFor('{}'));
      } catch (error) {
        outcome = error;
      }
      if (Array.isArray(outcome)) expect(outcome).toHaveLength(1);
      else expect(outcome).toBeInstanceOf(ValidationError);
    }
  });

  test('when DATADOG_CUSTOM_TEMPLATE is published, then it is JSON of quoted $VARIABLES including link, and unrendered it is rejected cleanly', () => {
    const template = JSON.parse(DATADOG_CUSTOM_TEMPLATE) as Record<string, unknown>;
    for (const value of Object.values(template)) expect(value).toMatch(/^\$[A-Z_]+$/);
    expect(template).toMatchObject({
      id: '$ID',
      alert_id: '$ALERT_ID',
      alert_transition: '$ALERT_TRANSITION',
      link: '$LINK',
      date: '$DATE',
    });
    const error = errorOf(template, contextFor(DATADOG_CUSTOM_TEMPLATE));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('alert_transition');
  });
});
