import type { Alert } from '../../src/domain/alert';
import { ValidationError } from '../../src/errors';
import { parseDatadogWebhook, type DatadogParseContext } from '../../src/sources/datadog/datadog.adapter';
import { readDatadogPayload } from '../../src/sources/datadog/datadog.payload';

function contextFor(rawBody: string, overrides: Partial<DatadogParseContext> = {}): DatadogParseContext {
  return {
    rawBody,
    receivedAt: new Date('2026-06-14T10:02:30Z'),
    serviceTagKeys: ['service'],
    hostTagKeys: ['host'],
    ...overrides,
  };
}

/** Runs `run` and returns the ValidationError it threw, or fails the test. */
function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, got a result');
}

function payloadErrorOf(body: unknown): ValidationError {
  return validationErrorOf(() => readDatadogPayload(body, JSON.stringify(body) ?? ''));
}

function webhookErrorOf(body: unknown, rawBody = JSON.stringify(body)): ValidationError {
  return validationErrorOf(() => parseDatadogWebhook(body, contextFor(rawBody)));
}

function alertOf(body: Record<string, unknown>, overrides: Partial<DatadogParseContext> = {}): Alert {
  const alerts = parseDatadogWebhook(body, contextFor(JSON.stringify(body), overrides));
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}

describe('readDatadogPayload', () => {
  test('when the body is not a JSON object, then the error says what it is', () => {
    const messages = [[], null, 42, 'text', undefined].map((body) => payloadErrorOf(body).message);
    expect(messages).toEqual([
      'payload: must be a JSON object, got an array',
      'payload: must be a JSON object, got null',
      'payload: must be a JSON object, got number',
      'payload: must be a JSON object, got string',
      'payload: must be a JSON object, got undefined',
    ]);
  });

  test('when a field has the wrong type, then the error names the field and the reason', () => {
    const error = payloadErrorOf({ alert_title: 5 });
    expect(error.field).toBe('alert_title');
    expect(error.message).toBe(
      'alert_title: has the wrong type (Invalid input: expected string, received number)',
    );
  });

  test('when only some fields are sent, then the payload holds only those fields', () => {
    const { payload } = readDatadogPayload({ alert_title: 'Disk full', org_id: '12' }, '{}');
    expect(Object.keys(payload)).toEqual(['alert_title']);
  });

  test('when the only form field holds JSON after leading spaces, then that JSON is the payload and its text', () => {
    const inner = '  {"alert_title": "Disk full"}';
    const read = readDatadogPayload({ payload: inner }, `payload=${encodeURIComponent(inner)}`);
    expect(read.payload.alert_title).toBe('Disk full');
    expect(read.jsonText).toBe(inner);
  });

  test('when an unknown field holding JSON sits beside other fields, then the body is read as it is', () => {
    const body = { extra: '{"alert_title": "From inside"}', alert_title: 'Disk full' };
    const read = readDatadogPayload(body, 'raw body');
    expect(read.payload.alert_title).toBe('Disk full');
    expect(read.jsonText).toBe('raw body');
  });
});

describe('parseDatadogWebhook edges', () => {
  test('when $ALERT_TRANSITION is a word we do not know, then the error quotes its first 64 characters', () => {
    const word = `${'x'.repeat(64)}${'y'.repeat(20)}`;
    const error = webhookErrorOf({ alert_transition: word, alert_title: 'Disk full' });
    expect(error.field).toBe('alert_transition');
    expect(error.message).toBe(`alert_transition: unknown transition "${'x'.repeat(64)}"`);
  });

  test('when nothing says what happened, then the error tells how to send the transition', () => {
    expect(webhookErrorOf({ alert_title: 'Disk full' }).message).toBe(
      'alert_transition: no transition: send $ALERT_TRANSITION, or an event title such as "[Triggered] ..."',
    );
  });

  test('when $ALERT_TYPE is error and nothing else says what happened, then the alert is triggered', () => {
    const alert = alertOf({ alert_type: 'error', alert_title: 'Disk full' });
    expect([alert.transition, alert.rawTransition]).toEqual(['triggered', 'error']);
  });

  test('when the titles carry only prefixes, then the error asks for a monitor name', () => {
    const error = webhookErrorOf({ alert_transition: 'Triggered', event_title: '[P1] [Triggered]' });
    expect(error.field).toBe('title');
    expect(error.message).toBe('title: no monitor name: send $EVENT_TITLE or $ALERT_TITLE');
  });

  test('when the event title has no priority but $ALERT_TITLE has one, then the severity comes from $ALERT_TITLE', () => {
    const alert = alertOf({ event_title: '[Triggered] Disk full', alert_title: '[P3] Disk full' });
    expect(alert.severity).toBe('P3');
  });

  test('when the event title has no group but $ALERT_TITLE has one, then the scope comes from $ALERT_TITLE', () => {
    const alert = alertOf({
      event_title: '[Triggered] Disk full',
      alert_title: '[Triggered on {host:db-1}] Disk full',
    });
    expect(alert.scope).toBe('host:db-1');
  });

  test('when only the event title is marked [TEST], then the alert is a test', () => {
    const alert = alertOf({ event_title: '[TEST] [Triggered] Disk full', alert_title: 'Disk full' });
    expect(alert.isTest).toBe(true);
  });

  test('when a big $ALERT_ID is sent unquoted, then the monitor id keeps every digit', () => {
    const raw =
      '{"alert_id": 7311236534862295557, "alert_transition": "Triggered", "alert_title": "Disk full"}';
    const [alert] = parseDatadogWebhook(JSON.parse(raw), contextFor(raw));
    expect(alert?.monitor.id).toBe('7311236534862295557');
    expect(alert?.groupKey).toBe('datadog:monitor:7311236534862295557');
  });

  test('when the host tag keys are configured without host, then a host: scope part still names the host', () => {
    const alert = alertOf(
      { alert_transition: 'Triggered', alert_title: 'Disk full', alert_scope: 'host:db-1' },
      { hostTagKeys: ['node'] },
    );
    expect(alert.hosts).toEqual(['db-1']);
  });

  test('when the message is cut at 4000 characters next to spaces, then the cut message ends without them', () => {
    const alert = alertOf({
      alert_transition: 'Triggered',
      alert_title: 'Disk full',
      event_msg: `${'m'.repeat(3998)}     tail`,
    });
    expect(alert.message).toBe('m'.repeat(3998));
  });

  test('when reading the body fails in a way nobody foresaw, then it is a ValidationError on payload with the reason', () => {
    const throwing = (thrown: unknown) =>
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw thrown;
          },
        },
      );
    const error = webhookErrorOf(throwing(new Error('boom')), '{}');
    expect(error.field).toBe('payload');
    expect(error.message).toBe('payload: could not be read (boom)');
    expect(webhookErrorOf(throwing('not an Error'), '{}').message).toBe(
      'payload: could not be read (unknown error)',
    );
  });
});
