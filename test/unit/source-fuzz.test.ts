/**
 * Every source in the list on generated input: whatever the body, the adapter returns alerts the worker can
 * apply (the job schema holds, every text within its cap) or a ValidationError naming a field; never another
 * error, never a polluted prototype. Fixed seeds (FC_SEED to explore); HINDSIGHT_FUZZ_SCALE as in
 * datadog.adapter.fuzz.test.ts.
 */
import fc from 'fast-check';
import { ValidationError } from '../../src/errors';
import { alertSchema } from '../../src/queue/jobs';
import { SOURCES, type Source, type SourceResult } from '../../src/sources';
import { LIMITS } from '../../src/payloads/values';
import { fixturesOf, settingsFor, sourceContext } from '../helpers/source-fixtures';

const SEED = Number(process.env.FC_SEED ?? 20261203);
const FUZZ_SCALE = Number(process.env.HINDSIGHT_FUZZ_SCALE ?? 1);
const runs = (numRuns: number): fc.Parameters<unknown> => ({
  seed: SEED,
  numRuns: Math.max(10, Math.ceil(numRuns * FUZZ_SCALE)),
  endOnFailure: FUZZ_SCALE < 1,
});

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', '$where', 'a.b', 'toString', 'hasOwnProperty'];

/** Runs the source as the route does (the body already parsed); fails on anything but alerts or a 400. */
function outcomeOf(source: Source, body: unknown): SourceResult | ValidationError {
  const rawBody = JSON.stringify(body) ?? '';
  try {
    return source.parse(
      body,
      sourceContext(rawBody, { serviceTagKeys: ['service', 'app'], settings: settingsFor(source) }),
    );
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw new Error(`${source.name} threw ${String(error)}`, { cause: error });
  }
}

function expectApplicable(source: Source, outcome: SourceResult | ValidationError): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  if (outcome instanceof ValidationError) {
    expect(outcome.status).toBe(400);
    expect(outcome.field.length).toBeGreaterThan(0);
    return;
  }
  expect(outcome.alerts.length).toBeLessThanOrEqual(LIMITS.alerts);
  for (const alert of outcome.alerts) {
    expect(alertSchema.safeParse(alert).success).toBe(true);
    expect(alert.source).toBe(source.name);
    expect(alert.groupKey.startsWith(`${source.name.split('/')[0]}:`)).toBe(true);
    expect(alert.title.length).toBeLessThanOrEqual(LIMITS.title);
    expect(alert.message.length).toBeLessThanOrEqual(LIMITS.message);
    expect(alert.tags.length).toBeLessThanOrEqual(LIMITS.labels);
    for (const text of [
      alert.eventId,
      alert.groupKey,
      alert.alertKey,
      alert.rawTransition,
      ...alert.services,
      ...alert.hosts,
    ])
      expect(text.length).toBeLessThanOrEqual(LIMITS.text * 3);
    expect(Number.isNaN(new Date(alert.at).getTime())).toBe(false);
  }
}

/** A JSON value with hostile keys mixed in. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

/** Paths to every leaf and object of a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** The value with the thing at `path` replaced (or removed, when replacement is undefined). */
function replacedAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = replacement;
  return copy;
}

const jsonBodies = (source: Source) =>
  fixturesOf(source.name)
    .filter((f) => !f.contentType.includes('form'))
    .map((f) => (typeof f.body === 'string' ? (JSON.parse(f.body) as unknown) : f.body));

describe.each(SOURCES.map((source) => [source.name, source] as const))(
  '%s on generated input',
  (_name, source) => {
    test('when the body is any JSON value, hostile keys included, then it is alerts the worker can apply or a 400', () => {
      fc.assert(
        fc.property(hostileJson, (body) => {
          expectApplicable(source, outcomeOf(source, body));
        }),
        runs(300),
      );
    });

    test('when one part of a documented payload is replaced, removed or made hostile, then it is still alerts or a 400', () => {
      const bodies = jsonBodies(source);
      expect(bodies.length).toBeGreaterThan(0);
      const mutated = fc
        .constantFrom(...bodies)
        .chain((body) =>
          fc.tuple(
            fc.constant(body),
            fc.constantFrom(...pathsOf(body)),
            fc.oneof(
              fc.constant(undefined),
              hostileJson,
              fc.string({ maxLength: 5000 }),
              fc.double(),
              fc.integer(),
            ),
          ),
        )
        .map(([body, path, replacement]) => replacedAt(body, path, replacement));
      fc.assert(
        fc.property(mutated, (body) => {
          expectApplicable(source, outcomeOf(source, body));
        }),
        runs(400),
      );
    });
  },
);
