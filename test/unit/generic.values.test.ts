/** The generic format's words and strict field readers: every table entry, every type rule, every cap. */
import { ValidationError } from '../../src/errors';
import {
  MAX_LINK_LENGTH,
  readFlag,
  readIdentifier,
  readLabels,
  readLink,
  readSeverity,
  readStringList,
  readText,
  requireIdentifier,
  requireText,
} from '../../src/sources/generic/generic.values';
import {
  GENERIC_SEVERITY_BY_WORD,
  GENERIC_STATUS_BY_WORD,
  severityOf,
  statusMeaningOf,
} from '../../src/sources/generic/generic.words';
import { LIMITS } from '../../src/payloads/values';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('generic status words', () => {
  test.each([
    ['triggered', 'triggered'],
    ['firing', 'triggered'],
    ['problem', 'triggered'],
    ['alerting', 'triggered'],
    ['down', 'triggered'],
    ['retriggered', 'retriggered'],
    ['warn', 'warn'],
    ['warning', 'warn'],
    ['no_data', 'no_data'],
    ['recovered', 'recovered'],
    ['resolved', 'recovered'],
    ['ok', 'recovered'],
    ['up', 'recovered'],
    ['acknowledged', 'acknowledged'],
    ['ack', 'acknowledged'],
  ])('when the status is %s, then the transition is %s', (word, transition) => {
    expect(statusMeaningOf(word)).toBe(transition);
  });

  test('when the table is listed, then it holds exactly the tested words', () => {
    expect(GENERIC_STATUS_BY_WORD.size).toBe(15);
  });

  test('when a status is written in another case or with separators, then it is the same word', () => {
    expect(statusMeaningOf('No-Data')).toBe('no_data');
    expect(statusMeaningOf(' RESOLVED ')).toBe('recovered');
  });

  test('when a mapping has its own word, then it wins over the generic table', () => {
    const own = new Map([
      ['ok', 'ignore' as const],
      ['failed', 'triggered' as const],
    ]);
    expect(statusMeaningOf('OK', own)).toBe('ignore');
    expect(statusMeaningOf('failed', own)).toBe('triggered');
    expect(statusMeaningOf('resolved', own)).toBe('recovered');
  });

  test('when a word is unknown or names a prototype member, then it has no meaning', () => {
    expect(statusMeaningOf('exploded')).toBeNull();
    expect(statusMeaningOf('constructor')).toBeNull();
    expect(statusMeaningOf('__proto__')).toBeNull();
  });
});

describe('generic severity words', () => {
  test.each([
    ['P1', 'P1'],
    ['p2', 'P2'],
    ['P3', 'P3'],
    ['P4', 'P4'],
    ['P5', 'P5'],
    ['1', 'P1'],
    ['2', 'P2'],
    ['3', 'P3'],
    ['4', 'P4'],
    ['5', 'P5'],
    ['critical', 'P1'],
    ['high', 'P2'],
    ['medium', 'P3'],
    ['low', 'P4'],
    ['info', 'P5'],
  ])('when the severity is %s, then it is %s', (word, severity) => {
    expect(severityOf(word)).toBe(severity);
    expect(readSeverity('severity', word)).toBe(severity);
  });

  test('when the table is listed, then it holds exactly the tested words', () => {
    expect(GENERIC_SEVERITY_BY_WORD.size).toBe(15);
  });

  test('when the severity is a number, then 1..5 are P1..P5', () => {
    expect(readSeverity('severity', 1)).toBe('P1');
    expect(readSeverity('severity', 5)).toBe('P5');
  });

  test('when the severity is absent or blank, then it is null', () => {
    expect(readSeverity('severity', undefined)).toBeNull();
    expect(readSeverity('severity', null)).toBeNull();
    expect(readSeverity('severity', '  ')).toBeNull();
  });

  test('when the severity is unknown, then the error lists the accepted words', () => {
    expect(messageOf(() => readSeverity('alerts[0].severity', 'urgent'))).toBe(
      'alerts[0].severity: unknown severity "urgent": send P1..P5 or critical, high, medium, low, info',
    );
    expect(messageOf(() => readSeverity('severity', 6))).toMatch(/unknown severity "6"/);
  });

  test('when the severity is a boolean, then it is refused', () => {
    expect(messageOf(() => readSeverity('severity', true))).toBe('severity: must be a string or a number');
  });
});

describe('generic text readers', () => {
  test('when text is given, then it is trimmed; blank and absent are null', () => {
    expect(readText('t', '  a b  ')).toBe('a b');
    expect(readText('t', '   ')).toBeNull();
    expect(readText('t', undefined)).toBeNull();
    expect(readText('t', null)).toBeNull();
  });

  test('when text is longer than the cap, then it is cut to the cap', () => {
    expect(readText('t', 'x'.repeat(LIMITS.text + 5))).toHaveLength(LIMITS.text);
    expect(readText('t', 'abcdef', 3)).toBe('abc');
  });

  test('when text is a number or a boolean, then it is refused', () => {
    expect(messageOf(() => readText('title', 3))).toBe('title: must be a string');
    expect(messageOf(() => readText('title', false))).toBe('title: must be a string');
  });

  test('when required text is missing or blank, then it is required', () => {
    expect(messageOf(() => requireText('title', undefined))).toBe('title: is required');
    expect(messageOf(() => requireText('title', ' '))).toBe('title: is required');
    expect(requireText('title', 'x'.repeat(600), LIMITS.title)).toHaveLength(LIMITS.title);
  });
});

describe('generic identifiers', () => {
  test('when an identifier is a string or an integer, then it is text', () => {
    expect(readIdentifier('id', ' e-1 ')).toBe('e-1');
    expect(readIdentifier('id', 42)).toBe('42');
    expect(readIdentifier('id', -7)).toBe('-7');
    expect(readIdentifier('id', undefined)).toBeNull();
    expect(readIdentifier('id', null)).toBeNull();
  });

  test('when an identifier is a fraction, an unsafe integer, a boolean or an object, then it is refused', () => {
    for (const value of [1.5, Number.NaN, true, {}, []])
      expect(messageOf(() => readIdentifier('key', value))).toBe('key: must be a string or an integer');
    expect(messageOf(() => readIdentifier('id', 2 ** 53))).toBe(
      'id: is an integer too large to keep its digits: send it as a string',
    );
    expect(readIdentifier('id', 2 ** 53 - 1)).toBe('9007199254740991');
  });

  test('when an identifier is long, then it is cut at the text cap', () => {
    expect(readIdentifier('id', 'i'.repeat(LIMITS.text * 2))).toHaveLength(LIMITS.text);
  });

  test('when a required identifier is missing, then it is required', () => {
    expect(messageOf(() => requireIdentifier('key', ''))).toBe('key: is required');
    expect(requireIdentifier('key', 0)).toBe('0');
  });
});

describe('generic lists and labels', () => {
  test('when a list of strings is given, then blanks and repeats are dropped', () => {
    expect(readStringList('hosts', [' web-1 ', '', 'web-1', 'web-2'])).toEqual(['web-1', 'web-2']);
    expect(readStringList('hosts', undefined)).toEqual([]);
  });

  test('when an item is not a string, then the error names the item', () => {
    expect(messageOf(() => readStringList('alerts[2].hosts', ['a', 3]))).toBe(
      'alerts[2].hosts[1]: must be a string',
    );
  });

  test('when a list is not a list or is longer than the cap, then it is refused', () => {
    expect(messageOf(() => readStringList('services', 'checkout'))).toBe('services: must be a list');
    const long = Array.from({ length: LIMITS.labels + 1 }, (_, i) => `s${i}`);
    expect(messageOf(() => readStringList('services', long))).toMatch(/^services: has 501 items/);
    expect(readStringList('services', long.slice(0, LIMITS.labels))).toHaveLength(LIMITS.labels);
  });

  test('when labels have scalar values, then they are text; null values and blank keys are no labels', () => {
    expect(readLabels('labels', { a: 'x', n: 3, b: true, gone: null, ' ': 'blank key' })).toEqual([
      { key: 'a', value: 'x' },
      { key: 'n', value: '3' },
      { key: 'b', value: 'true' },
    ]);
    expect(readLabels('labels', undefined)).toEqual([]);
  });

  test('when a label value is a list, then the error names the label', () => {
    expect(messageOf(() => readLabels('labels', { tags: ['a'] }))).toBe('labels.tags: must be a string');
  });

  test('when labels is not an object, then it is refused', () => {
    expect(messageOf(() => readLabels('labels', ['a:b']))).toBe('labels: must be an object');
  });

  test('when there are more labels than the cap, then they are refused', () => {
    const many = Object.fromEntries(Array.from({ length: LIMITS.labels + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(messageOf(() => readLabels('labels', many))).toBe('labels: has 501 labels; at most 500 are taken');
    delete many.k0;
    expect(readLabels('labels', many)).toHaveLength(LIMITS.labels);
  });

  test('when a label key is __proto__, then it is a plain label and no prototype changes', () => {
    const labels = JSON.parse('{"__proto__": "x", "constructor": "y"}') as unknown;
    expect(readLabels('labels', labels)).toEqual([
      { key: '__proto__', value: 'x' },
      { key: 'constructor', value: 'y' },
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('generic link and flag', () => {
  test('when the link is http or https, then it is the URL as sent', () => {
    expect(readLink('link', 'https://ci.example.com/p/1?x=1')).toBe('https://ci.example.com/p/1?x=1');
    expect(readLink('link', ' http://grafana.local:3000/d/x ')).toBe('http://grafana.local:3000/d/x');
    expect(readLink('link', undefined)).toBeNull();
    expect(readLink('link', '')).toBeNull();
  });

  test('when the link is another scheme or no URL, then it is refused', () => {
    expect(messageOf(() => readLink('link', 'ftp://files.example.com/x'))).toBe(
      'link: must be an http(s) URL',
    );
    expect(messageOf(() => readLink('link', 'not a url'))).toBe('link: must be an http(s) URL');
    expect(messageOf(() => readLink('link', 7))).toBe('link: must be a string');
  });

  test('when the link is longer than the cap, then it is refused rather than cut', () => {
    const base = 'https://example.com/';
    const atCap = base + 'a'.repeat(MAX_LINK_LENGTH - base.length);
    expect(readLink('link', atCap)).toBe(atCap);
    expect(messageOf(() => readLink('link', `${atCap}a`))).toBe('link: is longer than 2000 characters');
  });

  test('when test is true, false or absent, then it is that flag; anything else is refused', () => {
    expect(readFlag('test', true)).toBe(true);
    expect(readFlag('test', false)).toBe(false);
    expect(readFlag('test', undefined)).toBe(false);
    expect(readFlag('test', null)).toBe(false);
    expect(messageOf(() => readFlag('test', 1))).toBe('test: must be true or false');
  });
});
