/** The CEL side of mapped endpoints: compiling, the cost budget, and values across the JSON/CEL boundary. */
import { celList, celMap, celUint, type CelValue } from '@bufbuild/cel';
import { ValidationError } from '../../src/errors';
import {
  CEL_LIMITS,
  CostMeter,
  celListItems,
  compileExpression,
  evaluateExpression,
  fromCelValue,
  toCelInput,
} from '../../src/sources/generic/mapping.cel';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  throw new Error('expected an error');
}

/** Evaluates `text` with `payload` bound to the JSON value, under a fresh meter of `limit` steps. */
function evaluate(text: string, payload: unknown = {}, limit: number = CEL_LIMITS.steps): CelValue {
  const meter = new CostMeter(limit);
  return evaluateExpression(
    'fields.x',
    compileExpression(text),
    { payload: toCelInput(payload, meter) },
    meter,
  );
}

const plain = (text: string, payload: unknown = {}) => fromCelValue('fields.x', evaluate(text, payload));

describe('the CEL package', () => {
  test('when it is loaded through require, then its CommonJS build evaluates', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cel = require('@bufbuild/cel') as typeof import('@bufbuild/cel');
    expect(cel.run('1 + 2')).toBe(3n);
  });
});

describe('compileExpression', () => {
  test('when an expression does not parse, then CEL says where', () => {
    expect(messageOf(() => compileExpression('alert.state =='))).toMatch(/^<input>:1:\d+: /);
  });

  test('when an expression is at the length cap, then it compiles; one character more is refused', () => {
    const atCap = `'${'x'.repeat(CEL_LIMITS.expression - 2)}'`;
    expect(() => compileExpression(atCap)).not.toThrow();
    expect(messageOf(() => compileExpression(`${atCap} `))).toBe('is longer than 2000 characters');
  });

  test('when an expression names constructor or toString, then no such variable resolves', () => {
    expect(messageOf(() => evaluate('constructor'))).toBe(
      'fields.x: unresolved attribute (the variables are payload and alert)',
    );
    expect(messageOf(() => evaluate('toString'))).toMatch(/unresolved attribute/);
  });

  test('when the strings extension is called, then it is available', () => {
    expect(evaluate("'Web-1'.lowerAscii() + ',' + 'a/b'.split('/')[1]")).toBe('web-1,b');
  });

  test('when a regex with nested quantifiers meets a long string, then RE2 answers at once', () => {
    const started = Date.now();
    expect(evaluate("payload.s.matches('^(a+)+$')", { s: `${'a'.repeat(5000)}!` })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('toCelInput', () => {
  test('when JSON numbers are handed over, then integers are CEL ints and others doubles', () => {
    expect(evaluate('type(payload.i) == int && type(payload.f) == double', { i: 3, f: 1.5 })).toBe(true);
    expect(evaluate('payload.i / 2', { i: 7 })).toBe(3n);
    expect(evaluate('type(payload.big) == double', { big: 2 ** 60 })).toBe(true);
  });

  test('when strings are handed over, then they are cut at the payload text cap', () => {
    expect(evaluate('size(payload.s)', { s: 'x'.repeat(CEL_LIMITS.payloadText + 10) })).toBe(
      BigInt(CEL_LIMITS.payloadText),
    );
    expect(evaluate('size(payload.s)', { s: 'abc' })).toBe(3n);
  });

  test('when objects are handed over, then own keys are map keys, __proto__ included, and booleans and null stay', () => {
    const payload = JSON.parse('{"__proto__": "p", "b": false, "n": null}') as unknown;
    expect(evaluate("payload['__proto__'] + string(payload.b) + string(payload.n == null)", payload)).toBe(
      'pfalsetrue',
    );
    expect(evaluate("has(payload.toString) || 'constructor' in payload", {})).toBe(false);
  });

  test('when a value is no JSON value, then it is null', () => {
    expect(evaluate('payload.f == null', { f: () => 1 })).toBe(true);
  });

  test('when the payload is nested deeper than the cap, then it is refused', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < CEL_LIMITS.payloadDepth - 1; i++) deep = [deep];
    expect(() => toCelInput(deep, new CostMeter())).not.toThrow();
    expect(messageOf(() => toCelInput([deep], new CostMeter()))).toBe(
      'body: is nested deeper than 32 levels',
    );
  });
});

describe('the cost budget', () => {
  const list = (n: number) => ({ l: Array.from({ length: n }, (_, i) => i) });

  test('when a comprehension iterates a payload list, then its size is charged', () => {
    const meter = new CostMeter(10);
    const payload = toCelInput(list(10), meter);
    expect(evaluateExpression('f', compileExpression('payload.l.all(x, x >= 0)'), { payload }, meter)).toBe(
      true,
    );
    expect(meter.exceeded).toBe(false);
    expect(
      messageOf(() => evaluateExpression('f', compileExpression('1 in payload.l'), { payload }, meter)),
    ).toBe('f: evaluation went past the budget of 10 steps for one request');
    expect(meter.exceeded).toBe(true);
  });

  test('when a comprehension iterates a payload map, then its size is charged', () => {
    expect(evaluate("payload.m.exists(k, k == 'b')", { m: { a: 1, b: 2 } }, 2)).toBe(true);
    expect(
      messageOf(() => evaluate("payload.m.exists(k, k == 'c')", { m: { a: 1, b: 2, c: 3 } }, 2)),
    ).toMatch(/budget of 2 steps/);
  });

  test('when a nested comprehension stays within the budget, then it is evaluated', () => {
    expect(evaluate('payload.l.exists(x, payload.l.exists(y, y < 0))', list(300))).toBe(false);
  });

  test('when a nested comprehension over a big list goes past the budget, then it stops with an error, even under ||', () => {
    expect(
      messageOf(() => evaluate('payload.l.exists(x, payload.l.exists(y, y < 0)) || true', list(400))),
    ).toBe(`fields.x: evaluation went past the budget of ${CEL_LIMITS.steps} steps for one request`);
  });

  test('when a list is only indexed or sized, then nothing is charged', () => {
    expect(evaluate('payload.l[4] + size(payload.l)', list(5), 0)).toBe(9n);
  });

  test('when a meter is charged exactly its limit, then it is not exceeded', () => {
    const meter = new CostMeter(3);
    meter.charge(3);
    expect(meter.exceeded).toBe(false);
    expect(() => meter.charge(1)).toThrow('evaluation went past its budget of 3 steps');
  });

  test('when a meter is made without a limit, then it has the request budget', () => {
    expect(new CostMeter().limit).toBe(100_000);
  });
});

describe('evaluateExpression', () => {
  test('when CEL gives an error, then it is a ValidationError naming the path with CEL message', () => {
    const thrown = (() => {
      try {
        evaluate('payload.missing');
      } catch (error) {
        return error as ValidationError;
      }
      throw new Error('no error');
    })();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown.field).toBe('fields.x');
    expect(thrown.message).toBe('fields.x: field not found: missing');
  });

  test('when CEL message is long, then it is cut', () => {
    const key = 'k'.repeat(400);
    expect(messageOf(() => evaluate(`payload['${key}']`))).toHaveLength('fields.x: '.length + 300);
  });
});

describe('fromCelValue', () => {
  test('when scalars come back, then they are plain JS', () => {
    expect(plain('null')).toBeNull();
    expect(plain('true')).toBe(true);
    expect(plain('1.5')).toBe(1.5);
    expect(plain("'s'")).toBe('s');
    expect(plain('42')).toBe(42);
    expect(plain('-9007199254740991')).toBe(-9007199254740991);
  });

  test('when an int is past 2^53, then its digits come back as text', () => {
    expect(plain('9007199254740993')).toBe('9007199254740993');
    expect(plain('-9007199254740993')).toBe('-9007199254740993');
    expect(plain('9007199254740992u')).toBe('9007199254740992');
    expect(plain('5u')).toBe(5);
  });

  test('when lists and maps come back, then they are arrays and null-prototype objects', () => {
    expect(plain("[1, 'a', [true]]")).toEqual([1, 'a', [true]]);
    const map = plain("{'__proto__': 'x', 1: 'one', true: 'yes'}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(Object.entries(map)).toEqual([
      ['1', 'one'],
      ['__proto__', 'x'],
      ['true', 'yes'],
    ]);
    const uintKeys = fromCelValue('f', celMap(new Map([[celUint(7n), 'seven']]))) as Record<string, unknown>;
    expect(Object.entries(uintKeys)).toEqual([['7', 'seven']]);
  });

  test('when a timestamp comes back, then it is ISO text to the millisecond', () => {
    expect(plain("timestamp('2026-06-14T10:00:00.123456789Z')")).toBe('2026-06-14T10:00:00.123Z');
  });

  test('when a duration, bytes or a type comes back, then it is refused naming the path', () => {
    expect(messageOf(() => plain("duration('1h')"))).toBe(
      'fields.x: gave a google.protobuf.Duration, which no field takes',
    );
    expect(messageOf(() => plain("b'abc'"))).toBe('fields.x: gave a bytes, which no field takes');
    expect(messageOf(() => plain('int'))).toBe('fields.x: gave a type, which no field takes');
  });

  test('when a list or map has more items than the cap, then it is refused; at the cap it is taken', () => {
    const items = (n: number) => celList(Array.from({ length: n }, () => 1n));
    expect(fromCelValue('f', items(CEL_LIMITS.resultItems))).toHaveLength(CEL_LIMITS.resultItems);
    expect(messageOf(() => fromCelValue('f', items(CEL_LIMITS.resultItems + 1)))).toBe(
      'f: gave 1001 items; at most 1000 are taken',
    );
    const entries = (n: number) =>
      celMap(new Map(Array.from({ length: n }, (_, i) => [`k${i}`, 1n] as const)));
    expect(messageOf(() => fromCelValue('f', entries(CEL_LIMITS.resultItems + 1)))).toMatch(
      /gave 1001 items/,
    );
  });

  test('when a result holds more values than the cap in all, then it is refused', () => {
    const row = Array.from({ length: 100 }, () => 1n);
    const grid = (rows: number) => celList(Array.from({ length: rows }, () => row));
    expect(() => fromCelValue('f', grid(99))).not.toThrow();
    expect(messageOf(() => fromCelValue('f', grid(100)))).toBe('f: gave more than 10000 values');
  });
});

describe('celListItems', () => {
  test('when a list is given, then its items; past the cap or not a list, an error naming the path', () => {
    expect(celListItems('alerts', celList([1n, 'a']))).toEqual([1n, 'a']);
    expect(messageOf(() => celListItems('alerts', celMap(new Map())))).toBe(
      'alerts: must give a list, not a map',
    );
    const long = celList(Array.from({ length: 1001 }, () => null));
    expect(messageOf(() => celListItems('alerts', long))).toBe(
      'alerts: gave 1001 items; at most 1000 are taken',
    );
    expect(celListItems('alerts', celList(Array.from({ length: 1000 }, () => null)))).toHaveLength(1000);
  });
});
