/**
 * Property-based tests of the Datadog edge: the adapter and the body parser, on generated input.
 * Each property runs with a fixed seed (FC_SEED=<n> to explore others); on failure fast-check prints the seed,
 * the path and the shrunk counterexample, so `fc.assert(..., { seed, path })` replays it.
 */
import fc from 'fast-check';
import type { Alert } from '../../src/domain/alert';
import { AppError, ValidationError } from '../../src/errors';
import { MAX_JSON_DEPTH, depthOf, parseWebhookBody } from '../../src/http/webhook-body';
import { parseDatadogWebhook, type DatadogParseContext } from '../../src/sources/datadog/datadog.adapter';

const SEED = Number(process.env.FC_SEED ?? 20260614);
/**
 * Mutation testing runs every covering test against each mutant (jest cannot stop at the first failure), so
 * stryker.config.mjs sets HINDSIGHT_FUZZ_SCALE: each property then runs that share of its runs, and stops at
 * its first counterexample (a mutant needs killing, not a shrunk example). Plain runs use every run.
 */
const FUZZ_SCALE = Number(process.env.HINDSIGHT_FUZZ_SCALE ?? 1);
const runs = (numRuns: number): fc.Parameters<unknown> => ({
  seed: SEED,
  numRuns: Math.max(20, Math.ceil(numRuns * FUZZ_SCALE)),
  endOnFailure: FUZZ_SCALE < 1,
});

const FORM = 'application/x-www-form-urlencoded';
const RECEIVED_AT = new Date('2026-06-14T10:02:30Z');

function contextFor(rawBody: string): DatadogParseContext {
  return { rawBody, receivedAt: RECEIVED_AT, serviceTagKeys: ['service', 'app'], hostTagKeys: ['host'] };
}

/** JSON text of a value, or '' when it has none (undefined, a bigint, a function). */
function jsonTextOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

type Outcome = { alert: Alert } | { error: ValidationError };

/** Runs the adapter; fails the property on any outcome but exactly one alert or a ValidationError. */
function parseOutcome(body: unknown, rawBody: string): Outcome {
  let alerts: unknown;
  try {
    alerts = parseDatadogWebhook(body, contextFor(rawBody));
  } catch (error) {
    if (error instanceof ValidationError) return { error };
    throw new Error(`threw something other than a ValidationError: ${String(error)}`, { cause: error });
  }
  if (!Array.isArray(alerts) || alerts.length !== 1) throw new Error(`returned ${jsonTextOf(alerts)}`);
  return { alert: alerts[0] as Alert };
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype exactly as node made it: no new key, and a fresh object has no inherited enumerable key. */
function expectPrototypeUnpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const inherited: string[] = [];
  for (const key in {}) inherited.push(key);
  expect(inherited).toEqual([]);
}

function expectWellFormed(alert: Alert): void {
  expect(typeof alert.at).toBe('string');
  expect(new Date(alert.at).toISOString()).toBe(alert.at);
  for (const key of [alert.eventId, alert.groupKey, alert.alertKey]) {
    expect(typeof key).toBe('string');
    expect(key.length).toBeGreaterThan(0);
  }
  expect(alert.alertKey.startsWith(alert.groupKey)).toBe(true);
  expect(typeof alert.title).toBe('string');
  expect(alert.title.length).toBeGreaterThan(0);
  expect(alert.title.length).toBeLessThanOrEqual(500);
  expect(typeof alert.message).toBe('string');
  expect(alert.message.length).toBeLessThanOrEqual(4000);
  expect(Array.isArray(alert.tags)).toBe(true);
  for (const tag of alert.tags) {
    expect(Object.keys(tag).sort()).toEqual(['key', 'value']);
    expect(typeof tag.key).toBe('string');
    expect(typeof tag.value).toBe('string');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

const TRANSITION_WORDS = [
  'Triggered',
  'Re-Triggered',
  'Renotify',
  'Warn',
  'Re-Warn',
  'No Data',
  'Re-No Data',
  'Recovered',
  'RECOVERED',
  're triggered',
] as const;
const KNOWN_KEYS = [
  'alert_transition',
  'date',
  'id',
  'alert_id',
  'alert_scope',
  'tags',
  'event_title',
  'alert_title',
  'title',
  'body',
  'event_msg',
  'hostname',
  'priority',
  'alert_priority',
  'link',
  'last_updated',
  'alert_cycle_key',
  'alert_type',
  'alert_query',
] as const;
const HOSTILE_KEYS = [
  '$where',
  '$gt',
  '$ne',
  'a.b',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'payload',
  '',
] as const;

/** Text that breaks naive code: bidi marks, NUL, lone surrogates, template variables, lookalikes of null. */
const nastyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'None',
    'NULL',
    '$ID',
    '$ALERT_TRANSITION',
    '$DATE',
    '$ lowercase',
    '\u0000',
    'a\u0000b',
    '\u202Eevil\u202C',
    '\u200F\u200E',
    '\uD800',
    '\uDC00x',
    'x\uD83D',
    '\uFEFF',
    '[Triggered]',
    '[Triggered on {}]',
    '[Triggered on {host:a,host:a}] \u202E',
    '[P1] [TEST] [Recovered on {*}]  ',
    '[TEST]',
    '*',
    ',,,',
    ':',
    'host:',
    ':value',
    'https://app.datadoghq.com/monitors/123',
    'http://x/monitors#99999999999999999999999',
    '1e400',
    '-0',
    'NaN',
    'Infinity',
  ),
  fc.string({ unit: 'binary', maxLength: 6000 }),
);

const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyText },
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 53, 2 ** 53 + 1, 1e11, 1e21, 8.64e15, 8.64e15 + 1, Number.MAX_VALUE),
  fc.constant(null),
  fc.boolean(),
  fc.array(nastyText, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const epochMs = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
const digits = fc.stringMatching(/^[1-9][0-9]{0,18}$/);

type KnownKey = (typeof KNOWN_KEYS)[number];
const KNOWN_KEY_SET: ReadonlySet<string> = new Set(KNOWN_KEYS);

/** Values that look like what Datadog sends for each field: each one, alone, is always accepted. */
const PLAUSIBLE: Record<KnownKey, fc.Arbitrary<unknown>> = {
  alert_transition: fc.constantFrom(...TRANSITION_WORDS),
  date: fc.oneof(
    epochMs.map(String),
    epochMs,
    epochMs.map((ms) => Math.floor(ms / 1000)),
    epochMs.map((ms) => new Date(ms).toISOString()),
  ),
  last_updated: epochMs.map(String),
  id: fc.oneof(digits, fc.bigInt({ min: 1n, max: 10n ** 19n }).map(Number)),
  alert_id: digits,
  alert_cycle_key: digits,
  alert_scope: fc.constantFrom('host:web-1', 'host:a,env:prod', '*', 'env:prod , host:b'),
  tags: fc.oneof(
    fc.constantFrom('service:web,env:prod', 'host:a, canary', ''),
    fc.array(fc.string(), { maxLength: 4 }),
  ),
  event_title: fc
    .tuple(fc.constantFrom(...TRANSITION_WORDS), fc.string({ minLength: 1 }))
    .map(([word, name]) => `[${word} on {host:a}] M${name}`),
  alert_title: fc.string({ minLength: 1 }).map((name) => `Monitor ${name}`),
  priority: fc.constantFrom('P1', 'p3', '5', 'normal', 'low'),
  alert_priority: fc.constantFrom('P1', 'P2', 'P5', 'P6'),
  link: digits.map((id) => `https://app.datadoghq.com/monitors/${id}?from=x`),
  title: nastyText,
  body: nastyText,
  event_msg: nastyText,
  hostname: nastyText,
  alert_type: fc.constantFrom('error', 'warning', 'success', 'info'),
  alert_query: nastyText,
};

/** A field's value: plausible `plausibleWeight` times in `plausibleWeight + 1`, else anything at all. */
function valueFor(key: KnownKey, plausibleWeight: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: plausibleWeight, arbitrary: PLAUSIBLE[key] },
    { weight: 1, arbitrary: wildValue },
  );
}

/** Own properties only, `__proto__` included, as JSON.parse would make them. */
function ownRecord(entries: [string, unknown][]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

const knownKeysRecord = (plausibleWeight: number) =>
  fc.record(
    Object.fromEntries(KNOWN_KEYS.map((key) => [key, valueFor(key, plausibleWeight)])) as Record<
      KnownKey,
      fc.Arbitrary<unknown>
    >,
    { requiredKeys: [] },
  );

const datadogLikeBody = fc
  .tuple(
    // Mostly well-typed (so that many are accepted and checked), or anything in every field.
    fc.oneof(knownKeysRecord(40), knownKeysRecord(1)),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), wildValue), {
      maxLength: 6,
    }),
  )
  .map(([known, extra]) => ownRecord([...Object.entries(known), ...extra]));

type PlausibleFields = Partial<Record<KnownKey, unknown>>;

/**
 * Enough for an alert: a transition ($ALERT_TRANSITION, the event title's prefix, or an $ALERT_TYPE that names
 * one) and a monitor name ($ALERT_TITLE or the event title).
 */
function namesTransitionAndMonitor(fields: PlausibleFields): boolean {
  const hasTransition =
    fields.alert_transition !== undefined ||
    fields.event_title !== undefined ||
    ['error', 'warning', 'success'].includes(String(fields.alert_type));
  return hasTransition && (fields.alert_title !== undefined || fields.event_title !== undefined);
}

/**
 * Plausible values only, any subset of the fields that names a transition and a monitor, and hostile keys
 * beside them that are no Datadog field: always valid, so always an alert.
 */
const plausibleBody = fc
  .tuple(
    fc.record(PLAUSIBLE, { requiredKeys: [] }).filter(namesTransitionAndMonitor),
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()).filter((key) => !KNOWN_KEY_SET.has(key)),
        wildValue,
      ),
      { maxLength: 6 },
    ),
  )
  .map(([fields, extra]) => ({ fields, body: ownRecord([...Object.entries(fields), ...extra]) }));

/** The instant a plausible $DATE or $LAST_UPDATED names: epoch seconds below 1e11, else milliseconds, or ISO. */
function instantOf(value: unknown): string {
  const epoch = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : null;
  const ms = epoch === null ? Date.parse(String(value)) : epoch < 1e11 ? epoch * 1000 : epoch;
  return new Date(ms).toISOString();
}

const SCOPE_OF: Readonly<Record<string, string | null>> = {
  'host:web-1': 'host:web-1',
  'host:a,env:prod': 'env:prod,host:a',
  '*': null,
  'env:prod , host:b': 'env:prod,host:b',
};

/** What the alert of a plausible body must say, field by field, where the fields alone decide it. */
function expectAlertOf(alert: Alert, fields: PlausibleFields): void {
  const text = (key: KnownKey): string | undefined => {
    const value = fields[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const eventTitle = text('event_title');
  const alertTitle = text('alert_title');

  const word = text('alert_transition') ?? /^\[(.+?) on \{host:a\}\]/.exec(eventTitle ?? '')?.[1];
  if (word !== undefined) expect(alert.transition).toBe(EXPECTED_TRANSITION[word as TransitionWord]);

  const name = alertTitle ?? eventTitle?.slice(eventTitle.indexOf('] ') + 2);
  expect(alert.title).toBe(name?.trim());

  const time = fields.date ?? fields.last_updated;
  expect(alert.at).toBe(time === undefined ? RECEIVED_AT.toISOString() : instantOf(time));
  expect(alert.atOrigin).toBe(time === undefined ? 'received' : 'source');

  if (fields.id !== undefined) expect(alert.eventId).toBe(`datadog:${text('id')}`);
  else expect(alert.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);

  const linkId = /\/monitors\/(\d+)/.exec(text('link') ?? '')?.[1];
  const monitorId = text('alert_id') ?? linkId;
  if (monitorId !== undefined) {
    expect(alert.groupKey).toBe(`datadog:monitor:${monitorId}`);
    expect(alert.monitor.id).toBe(monitorId);
  }
  if (linkId !== undefined) expect(alert.monitor.url).toBe(`https://app.datadoghq.com/monitors/${linkId}`);

  const scope = text('alert_scope');
  if (scope !== undefined || eventTitle !== undefined) {
    const expected = scope === undefined ? 'host:a' : SCOPE_OF[scope];
    expect(alert.scope).toBe(expected);
    expect(alert.alertKey).toBe(`${alert.groupKey}|${expected ?? '*'}`);
  }

  const priority = text('alert_priority');
  if (priority !== undefined && /^P[1-5]$/.test(priority)) expect(alert.severity).toBe(priority);
}

/** A payload as DATADOG_CUSTOM_TEMPLATE renders it, always valid. */
const validCustomPayload = fc
  .record({
    id: digits,
    alert_id: digits,
    alert_transition: fc.constantFrom(...TRANSITION_WORDS),
    date: epochMs,
    alert_title: fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).map((s) => `Monitor ${s}`),
    alert_scope: fc.oneof(fc.constant('$ALERT_SCOPE'), fc.string()),
    tags: fc.oneof(fc.constant('$TAGS'), fc.string({ maxLength: 300 })),
    alert_priority: fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', '$ALERT_PRIORITY'),
    event_msg: fc.string({ maxLength: 500 }),
    alert_cycle_key: fc.oneof(fc.constant('$ALERT_CYCLE_KEY'), digits),
  })
  .map((p) => ({ ...p, date: String(p.date), expectedAt: new Date(p.date).toISOString() }));

type TransitionWord = (typeof TRANSITION_WORDS)[number];
const EXPECTED_TRANSITION: Record<TransitionWord, Alert['transition']> = {
  Triggered: 'triggered',
  'Re-Triggered': 'retriggered',
  Renotify: 'retriggered',
  Warn: 'warn',
  'Re-Warn': 'warn',
  'No Data': 'no_data',
  'Re-No Data': 'no_data',
  Recovered: 'recovered',
  RECOVERED: 'recovered',
  're triggered': 'retriggered',
};

// ---------------------------------------------------------------------------------------------------------
// The adapter

describe('parseDatadogWebhook on generated input', () => {
  it('when the body is any JSON value, then it returns one alert or throws a ValidationError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const raw = JSON.stringify(value);
        // As the route hands it over: parsed from its own text (so `__proto__` is an own key, -0 is 0).
        parseOutcome(JSON.parse(raw), raw);
        expectPrototypeUnpolluted();
      }),
      runs(1000),
    );
  });

  it('when the body is any JavaScript value, then it returns one alert or throws a ValidationError', () => {
    const anything = fc.anything({
      maxDepth: 6,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        parseOutcome(value, jsonTextOf(value));
        expectPrototypeUnpolluted();
      }),
      runs(1000),
    );
  });

  it('when a body of Datadog keys carries any values and hostile keys, then the alert it gives is well-formed', () => {
    fc.assert(
      fc.property(datadogLikeBody, fc.boolean(), (body, viaJsonText) => {
        const raw = jsonTextOf(body);
        const outcome = parseOutcome(viaJsonText ? (JSON.parse(raw) as unknown) : body, raw);
        if ('alert' in outcome) expectWellFormed(outcome.alert);
        expectPrototypeUnpolluted();
      }),
      runs(600),
    );
  });

  it('when a body carries only plausible Datadog values, naming a transition and a monitor, beside hostile keys, then it always gives the alert those values say', () => {
    fc.assert(
      fc.property(plausibleBody, fc.boolean(), ({ fields, body }, viaJsonText) => {
        const raw = jsonTextOf(body);
        const outcome = parseOutcome(viaJsonText ? (JSON.parse(raw) as unknown) : body, raw);
        if (!('alert' in outcome)) throw outcome.error;
        expectWellFormed(outcome.alert);
        expectAlertOf(outcome.alert, fields);
        expectPrototypeUnpolluted();
      }),
      runs(600),
    );
  });

  it('when the generated bodies are valid often enough, then the well-formedness property is not vacuous', () => {
    const outcomes = fc
      .sample(datadogLikeBody, { seed: SEED, numRuns: 300 })
      .map((body) => parseOutcome(body, jsonTextOf(body)));
    const accepted = outcomes.filter((outcome) => 'alert' in outcome).length;
    expect(accepted).toBeGreaterThan(30);
    expect(accepted).toBeLessThan(300);
  });

  it('when a custom-template payload is valid, then it always parses, deterministically', () => {
    fc.assert(
      fc.property(validCustomPayload, ({ expectedAt, ...payload }) => {
        const raw = JSON.stringify(payload);
        const first = parseOutcome(JSON.parse(raw), raw);
        if (!('alert' in first)) throw first.error;
        const again = parseOutcome(JSON.parse(raw), raw);
        expect(again).toEqual(first);

        const alert = first.alert;
        expectWellFormed(alert);
        expect(alert.eventId).toBe(`datadog:${payload.id}`);
        expect(alert.groupKey).toBe(`datadog:monitor:${payload.alert_id}`);
        expect(alert.monitor.id).toBe(payload.alert_id);
        expect(alert.transition).toBe(EXPECTED_TRANSITION[payload.alert_transition]);
        expect(alert.at).toBe(expectedAt);
        expect(alert.atOrigin).toBe('source');
      }),
      runs(500),
    );
  });

  it('when a valid payload has no id, then its eventId is a hash of its bytes alone', () => {
    fc.assert(
      fc.property(validCustomPayload, ({ expectedAt: _at, id: _id, ...payload }) => {
        const raw = JSON.stringify(payload);
        const first = parseDatadogWebhook(JSON.parse(raw), contextFor(raw))[0];
        const later = parseDatadogWebhook(JSON.parse(raw), {
          ...contextFor(raw),
          receivedAt: new Date('2030-01-01T00:00:00Z'),
        })[0];
        expect(first?.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(later?.eventId).toBe(first?.eventId);
      }),
      runs(300),
    );
  });

  it('when a valid payload comes form-encoded, as fields or as one JSON field, then it gives the alert its JSON gives', () => {
    fc.assert(
      fc.property(validCustomPayload, fc.boolean(), ({ expectedAt: _at, ...payload }, asOneField) => {
        const json = JSON.stringify(payload);
        const fromJson = parseOutcome(JSON.parse(json), json);
        if (!('alert' in fromJson)) throw fromJson.error;
        const text = asOneField
          ? new URLSearchParams({ payload: json }).toString()
          : new URLSearchParams(Object.entries(payload)).toString();
        const fromForm = parseOutcome(ownRecord([...new URLSearchParams(text)]), text);
        if (!('alert' in fromForm)) throw fromForm.error;
        expect(fromForm.alert).toEqual(fromJson.alert);
      }),
      runs(300),
    );
  });

  it('when the body is form-encoded fields, then it returns one alert or throws a ValidationError', () => {
    const field = fc.oneof(
      fc.tuple(fc.constantFrom(...KNOWN_KEYS, ...HOSTILE_KEYS), nastyText),
      fc.tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })),
    );
    const formText = fc.oneof(
      fc.array(field, { maxLength: 12 }).map((fields) => new URLSearchParams(fields).toString()),
      // Datadog's form option: the whole payload as JSON in one field.
      datadogLikeBody.map((body) => new URLSearchParams({ payload: jsonTextOf(body) }).toString()),
      // Text no encoder wrote: stray `%`, `+`, `&&`, `=` and bad escapes.
      fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '%zz', '%E2%82', '%ff', '+', '__proto__', ';') }),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(formText, (text) => {
        // Decoded as the route does: a plain object of own string properties.
        const fields = ownRecord([...new URLSearchParams(text)]);
        const outcome = parseOutcome(fields, text);
        if ('alert' in outcome) expectWellFormed(outcome.alert);
        expectPrototypeUnpolluted();
      }),
      runs(600),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The body parser

const CONTENT_TYPES = [
  undefined,
  '',
  ';',
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'APPLICATION/JSON; CHARSET=UTF8',
  'application/json; charset=us-ascii',
  'application/json; charset=utf-16',
  'application/json; charset=latin1; charset=utf-8',
  'application/json; charset',
  'application/json; charset=',
  'application/json; charset=""',
  'application/json;;;',
  'application/json; boundary=x; q=0.1',
  '  application/json  ',
  'application/json\u0000',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'text/plain',
  'text/json',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  '*/*',
];

const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
);

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** Byte sequences that are not UTF-8: overlong forms, surrogates, truncated sequences, stray continuations. */
const invalidUtf8Fragment = fc.constantFrom(
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xff, 0xfe],
  [0xf4, 0x90, 0x80, 0x80],
);

const bodyBytes = fc.oneof(
  fc.uint8Array(),
  fc.uint8Array({ maxLength: 64 * 1024, size: 'max' }),
  fc.string({ unit: 'binary' }).map(utf8),
  fc.jsonValue({ maxDepth: 6 }).map((value) => utf8(JSON.stringify(value))),
  datadogLikeBody.map((body) => utf8(jsonTextOf(body))),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), invalidUtf8Fragment, fc.nat()).map(([value, fragment, at]) => {
    const bytes = [...Buffer.from(JSON.stringify(value), 'utf8')];
    bytes.splice(at % (bytes.length + 1), 0, ...fragment);
    return new Uint8Array(bytes);
  }),
  fc.jsonValue().map((value) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(JSON.stringify(value))])),
  fc.jsonValue().map((value) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf16le'))),
  fc.integer({ min: 0, max: 200 }).map((depth) => utf8(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);

/** What express.raw hands over: a Buffer, or (no body parsed) an empty object or nothing. */
const rawRequestBody = fc.oneof(
  { weight: 10, arbitrary: bodyBytes.map((bytes) => Buffer.from(bytes) as unknown) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, {}, '{"a":1}', null) },
);

/** The depth as the obvious recursion computes it: a primitive is 0, a container is one more than its deepest child. */
function referenceDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(referenceDepth));
}

describe('parseWebhookBody on generated input', () => {
  it('when any bytes come with any content type, then it returns a body or throws a 400 or 415 AppError', () => {
    fc.assert(
      fc.property(rawRequestBody, contentType, (bytes, type) => {
        let body: ReturnType<typeof parseWebhookBody>;
        try {
          body = parseWebhookBody(bytes, type);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          expect([400, 415]).toContain(error.status);
          expect(typeof error.code).toBe('string');
          return;
        }
        expect(['application/json', FORM]).toContain(body.contentType);
        expect(typeof body.raw).toBe('string');
        expect(body.raw.trim().length).toBeGreaterThan(0);
        if (body.contentType === 'application/json') expect(depthOf(body.value)).toBeLessThanOrEqual(32);
        else for (const value of Object.values(body.value as object)) expect(typeof value).toBe('string');
        expectPrototypeUnpolluted();
      }),
      runs(400),
    );
  });

  it('when depthOf reads any small value, then it agrees with the recursive reference', () => {
    fc.assert(
      fc.property(
        fc.anything({
          maxDepth: 6,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withBoxedValues: true,
        }),
        (value) => {
          expect(depthOf(value)).toBe(referenceDepth(value));
        },
      ),
      runs(1000),
    );
  });

  it('when a value is nested to any depth, then depthOf never throws and refuses only past the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.boolean(), (depth, asObjects) => {
        let value: unknown = 'leaf';
        for (let i = 0; i < depth; i += 1) value = asObjects ? { k: value } : [value];
        const measured = depthOf(value);
        if (depth <= MAX_JSON_DEPTH) expect(measured).toBe(depth);
        else expect(measured).toBeGreaterThan(MAX_JSON_DEPTH);
      }),
      runs(300),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(depthOf(cyclic)).toBeGreaterThan(MAX_JSON_DEPTH);
  });
});
