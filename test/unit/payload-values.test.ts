/** Reading foreign payloads (src/payloads/values.ts and labels.ts). */
import { ValidationError } from '../../src/errors';
import {
  dedupeLabels,
  distinct,
  labelsFromObject,
  labelsFromPairs,
  labelsFromTags,
  valuesForKeys,
} from '../../src/payloads/labels';
import {
  LIMITS,
  capText,
  digestOf,
  exactDigits,
  field,
  isRecord,
  normalizeWord,
  optionalArray,
  optionalRecord,
  optionalText,
  payloadEventId,
  readingPayload,
  requireRecord,
  requireText,
} from '../../src/payloads/values';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('values', () => {
  it('when text is longer than its cap, then it is cut and trailing space dropped', () => {
    expect(capText('abc', 3)).toBe('abc');
    expect(capText('ab cd', 3)).toBe('ab');
    expect(capText('abcd', 3)).toBe('abc');
  });

  it('when a value is an object, then it is a record; lists, null and scalars are not', () => {
    expect([isRecord({}), isRecord([]), isRecord(null), isRecord('x'), isRecord(1)]).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('when a field is only inherited, then it is not read', () => {
    const record = Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 });
    expect([field(record, 'own'), field(record, 'inherited'), field({}, 'constructor')]).toEqual([
      2,
      undefined,
      undefined,
    ]);
  });

  it('when an object is required and something else is sent, then the path is named', () => {
    expect(refusal(() => requireRecord('data', []))).toBe('data: must be an object');
    expect(refusal(() => requireRecord('data', null))).toBe('data: must be an object');
    expect(requireRecord('data', { a: 1 })).toEqual({ a: 1 });
  });

  it('when an optional object is absent, then it is null; when it is not an object, then it is refused', () => {
    expect([optionalRecord('x', undefined), optionalRecord('x', null)]).toEqual([null, null]);
    expect(optionalRecord('x', { a: 1 })).toEqual({ a: 1 });
    expect(refusal(() => optionalRecord('x', 'text'))).toBe('x: must be an object');
  });

  it('when an optional list is absent, then it is empty; past its cap or not a list, then it is refused', () => {
    expect([optionalArray('a', undefined), optionalArray('a', null)]).toEqual([[], []]);
    expect(optionalArray('a', [1, 2], 2)).toEqual([1, 2]);
    expect(refusal(() => optionalArray('a', [1, 2, 3], 2))).toBe('a: has 3 items; at most 2 are taken');
    expect(refusal(() => optionalArray('a', {}))).toBe('a: must be a list');
    expect(optionalArray('a', new Array(LIMITS.alerts).fill(0))).toHaveLength(LIMITS.alerts);
    expect(() => optionalArray('a', new Array(LIMITS.alerts + 1).fill(0))).toThrow(ValidationError);
  });

  it('when text is read, then it is trimmed and capped; numbers and booleans become text; empty is absent', () => {
    expect(optionalText('t', '  hi  ')).toBe('hi');
    expect(optionalText('t', 42)).toBe('42');
    expect(optionalText('t', false)).toBe('false');
    expect([
      optionalText('t', ''),
      optionalText('t', '   '),
      optionalText('t', null),
      optionalText('t', undefined),
    ]).toEqual([null, null, null, null]);
    expect(optionalText('t', 'x'.repeat(LIMITS.text + 5))).toHaveLength(LIMITS.text);
    expect(optionalText('t', 'abcdef', 3)).toBe('abc');
    expect(refusal(() => optionalText('t', {}))).toBe('t: must be a string');
    expect(refusal(() => optionalText('t', ['a']))).toBe('t: must be a string');
  });

  it('when required text is absent, then it is named as required', () => {
    expect(requireText('alert.title', ' x ')).toBe('x');
    expect(refusal(() => requireText('alert.title', ''))).toBe('alert.title: is required');
    expect(requireText('a', 'abcdef', 2)).toBe('ab');
  });

  it('when the same bytes are hashed, then the event id is the same; other bytes give another', () => {
    expect(payloadEventId('{"a":1}')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(payloadEventId('{"a":1}')).toBe(payloadEventId('{"a":1}'));
    expect(payloadEventId('{"a":1}')).not.toBe(payloadEventId('{"a": 1}'));
  });

  it('when parts are digested, then their boundaries count', () => {
    expect(digestOf('a', 'b')).toMatch(/^[0-9a-f]{32}$/);
    expect(digestOf('a', 'b')).toBe(digestOf('a', 'b'));
    expect(digestOf('ab', '')).not.toBe(digestOf('a', 'b'));
  });

  it('when a word is normalized, then case and punctuation go', () => {
    expect(normalizeWord('Re-Triggered 2!')).toBe('retriggered2');
  });

  it('when reading throws something other than a ValidationError, then it becomes one naming the payload', () => {
    expect(readingPayload(() => 5)).toBe(5);
    const own = new ValidationError('x', 'bad');
    expect(() =>
      readingPayload(() => {
        throw own;
      }),
    ).toThrow(own);
    expect(
      refusal(() =>
        readingPayload(() => {
          throw new TypeError('boom');
        }),
      ),
    ).toBe('payload: could not be read (boom)');
    expect(
      refusal(() =>
        readingPayload(() => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a thrown non-Error is the case under test
          throw 'odd';
        }),
      ),
    ).toBe('payload: could not be read (unknown error)');
    expect(
      refusal(() =>
        readingPayload(() => {
          throw new Error('e'.repeat(300));
        }),
      ),
    ).toHaveLength('payload: could not be read ()'.length + 200);
  });
});

describe('labels', () => {
  it('when labels come as an object, then own scalar entries become pairs, others are skipped', () => {
    const value = JSON.parse(
      '{"service":"checkout","port":8080,"up":true,"nested":{"a":1},"list":[1],"__proto__":"x"," ":"blank"}',
    );
    expect(labelsFromObject(value)).toEqual([
      { key: 'service', value: 'checkout' },
      { key: 'port', value: '8080' },
      { key: 'up', value: 'true' },
      { key: '__proto__', value: 'x' },
    ]);
    expect([labelsFromObject(null), labelsFromObject(['a']), labelsFromObject('a')]).toEqual([[], [], []]);
  });

  it('when tags come as key:value strings, then they split at the first colon; a bare tag has an empty value', () => {
    expect(
      labelsFromTags(['env:prod', 'url:https://x.y/z', 'canary', ' team : core ', 5, ':nokey', 'env:prod']),
    ).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'url', value: 'https://x.y/z' },
      { key: 'canary', value: '' },
      { key: 'team', value: 'core' },
    ]);
  });

  it('when labels come as name/value pairs, then the named fields are read', () => {
    expect(
      labelsFromPairs(
        [{ tag: 'service', value: 'db' }, { tag: 'scope' }, { value: 'x' }, 'str', { tag: 'n', value: 3 }],
        'tag',
        'value',
      ),
    ).toEqual([
      { key: 'service', value: 'db' },
      { key: 'scope', value: '' },
      { key: 'n', value: '3' },
    ]);
    expect(
      labelsFromPairs([Object.create({ tag: 'inherited', value: 'x' }) as object], 'tag', 'value'),
    ).toEqual([]);
  });

  it('when labels repeat or pass the cap, then they are deduplicated and capped', () => {
    const many = Array.from({ length: LIMITS.labels + 10 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(dedupeLabels(many)).toHaveLength(LIMITS.labels);
    expect(
      dedupeLabels([{ key: 'a', value: '1' }, null, { key: 'a', value: '1' }, { key: 'a', value: '2' }]),
    ).toEqual([
      { key: 'a', value: '1' },
      { key: 'a', value: '2' },
    ]);
    const tags = Array.from({ length: LIMITS.labels * 3 }, (_, i) => `t${i}:v`);
    expect(labelsFromTags(tags)).toHaveLength(LIMITS.labels);
  });

  it('when a label key or value is longer than the cap, then it is cut', () => {
    const [label] = labelsFromObject({ ['k'.repeat(LIMITS.text + 1)]: 'v'.repeat(LIMITS.text + 1) });
    expect([label?.key.length, label?.value.length]).toEqual([LIMITS.text, LIMITS.text]);
  });

  it('when values of chosen keys are asked for, then the non-empty ones come once, in order', () => {
    const labels = [
      { key: 'service', value: 'a' },
      { key: 'app', value: 'b' },
      { key: 'service', value: '' },
      { key: 'other', value: 'x' },
      { key: 'app', value: 'a' },
    ];
    expect(valuesForKeys(labels, ['service', 'app'])).toEqual(['a', 'b']);
    expect(valuesForKeys(labels, [])).toEqual([]);
  });

  it('when values are made distinct, then empty and missing ones are dropped', () => {
    expect(distinct(['a', null, '', 'b', undefined, 'a'])).toEqual(['a', 'b']);
  });
});

describe('exactDigits', () => {
  it('when an integer is safe, then it is its own text', () => {
    expect(exactDigits('id', 42, '{"id": 42}')).toBe('42');
    expect(exactDigits('id', -7, '')).toBe('-7');
  });

  it('when an integer is past 2^53, then its digits are read back from the JSON text', () => {
    const text = '{"other": 1781431200123456700, "updatedAt": 1781432400123456789}';
    const value = (JSON.parse(text) as { updatedAt: number }).updatedAt;
    expect(String(value)).not.toBe('1781432400123456789');
    expect(exactDigits('updatedAt', value, text)).toBe('1781432400123456789');
  });

  it('when the key appears twice, then the number that parses to the value is the one read', () => {
    const text = '{"a": {"id": 7311236534862290001}, "id": -7311236534862295557}';
    expect(exactDigits('id', -7311236534862295557, text)).toBe('-7311236534862295557');
  });

  it('when the number is not in the text under that key, then it is the rounded number as text', () => {
    expect(exactDigits('id', 7311236534862295557, '{"other": 7311236534862295557}')).toBe(
      String(7311236534862295557),
    );
  });

  it('when the number is a decimal or has an exponent in the text, then it is not taken for the digits', () => {
    expect(exactDigits('id', 7311236534862295000, '{"id": 7311236534862295557.5}')).toBe(
      String(7311236534862295000),
    );
    expect(exactDigits('id', 7.311236534862295e21, '{"id": 7311236534862295e6}')).toBe(
      String(7.311236534862295e21),
    );
  });

  it('when the key holds characters a pattern would read specially, then only that key matches', () => {
    const text = '{"a.b": 9007199254740993, "axb": 9007199254740993}';
    expect(exactDigits('a.b', 9007199254740993, text)).toBe('9007199254740993');
    expect(exactDigits('a+b', 9007199254740993, '{"aab": 9007199254740993}')).toBe(String(9007199254740993));
  });
});
