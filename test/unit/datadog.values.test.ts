import { ValidationError } from '../../src/errors';
import { parseEventTime, presentId, presentText } from '../../src/sources/datadog/datadog.values';

/** What parseEventTime threw for `value` on the field `date`, or a failure if it returned. */
function dateErrorOf(value: string | number): ValidationError {
  try {
    parseEventTime('date', value);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected a ValidationError for ${JSON.stringify(value)}`);
}

function isoOf(value: string | number): string | undefined {
  return parseEventTime('date', value)?.toISOString();
}

describe('presentText', () => {
  test('when a value has surrounding spaces, then its trimmed text is returned', () => {
    expect(presentText('  web-1 \t')).toBe('web-1');
  });

  test('when a value starts with a $VARIABLE but says more, then it is kept as text', () => {
    expect(presentText('$HOSTNAME is down')).toBe('$HOSTNAME is down');
  });

  test('when a value is a lone unrendered $VARIABLE, null, None or empty, then it is missing', () => {
    expect([
      presentText('$ALERT_CYCLE_KEY'),
      presentText('None'),
      presentText(' '),
      presentText(null),
    ]).toEqual([null, null, null, null]);
  });
});

describe('presentId', () => {
  test('when a rounded unquoted id is preceded by a nested field of the same name, then the digits that match the value are taken', () => {
    const jsonText = '{"event": {"id": 12}, "id": 7311236534862295557}';
    expect(presentId('id', 7311236534862295557, jsonText)).toBe('7311236534862295557');
  });

  test('when a safe integer is sent as a number, then the id is its canonical decimal text, whatever the raw text spells', () => {
    expect(presentId('alert_id', -0, '{"alert_id": -0}')).toBe('0');
  });

  test('when a rounded id is not found in the raw text, then the number is written as JavaScript prints it', () => {
    expect(presentId('id', 7311236534862295557, '{}')).toBe('7311236534862296000');
  });
});

describe('parseEventTime from epoch numbers', () => {
  test('when the epoch is a number of seconds with a fraction, as text, then the fraction is kept as milliseconds', () => {
    expect(isoOf('1781431200.5')).toBe('2026-06-14T10:00:00.500Z');
  });

  test('when the epoch is exactly 1e11, then it is read as milliseconds (March 1973), not seconds', () => {
    expect(isoOf(1e11)).toBe('1973-03-03T09:46:40.000Z');
  });

  test('when the epoch is just below 1e11, then it is read as seconds', () => {
    expect(isoOf(99_999_999_999)).toBe('5138-11-16T09:46:39.000Z');
  });

  test('when the epoch is negative or zero, then it is not a date and the error names the field and value', () => {
    const negative = dateErrorOf(-5);
    expect(negative.field).toBe('date');
    expect(negative.message).toBe('date: is not a date: -5');
    expect(dateErrorOf(0).message).toBe('date: is not a date: 0');
    expect(dateErrorOf('0').message).toBe('date: is not a date: 0');
  });

  test('when the epoch is beyond the range of a Date, then the error says it is out of range', () => {
    expect(dateErrorOf(1e300).message).toBe('date: is out of range: 1e+300');
    expect(dateErrorOf(Number.POSITIVE_INFINITY).message).toBe('date: is not a date: Infinity');
  });
});

describe('parseEventTime from ISO-8601 text', () => {
  test('when only a date is sent, then it is midnight UTC', () => {
    expect(isoOf('2026-06-14')).toBe('2026-06-14T00:00:00.000Z');
  });

  test('when the time has minutes but no seconds, then it is read', () => {
    expect(isoOf('2026-06-14T10:00Z')).toBe('2026-06-14T10:00:00.000Z');
  });

  test('when date and time are separated by a space, then it is read like a T', () => {
    expect(isoOf('2026-06-14 10:00:00Z')).toBe('2026-06-14T10:00:00.000Z');
  });

  test('when the offset has no colon, then it is applied', () => {
    expect(isoOf('2026-06-14T12:00:00+0200')).toBe('2026-06-14T10:00:00.000Z');
  });

  test('when the text is a date in words, then it is not a date, though JavaScript could read it', () => {
    expect(dateErrorOf('June 14, 2026').message).toBe('date: is not a date: "June 14, 2026"');
  });

  test('when the year has the expanded +00 form, then it is not a date', () => {
    expect(dateErrorOf('+002026-06-14T10:00:00Z').field).toBe('date');
  });

  test('when the fraction of a second has more than nine digits, then it is not a date', () => {
    expect(dateErrorOf('2026-06-14T10:00:00.1234567890').field).toBe('date');
  });

  test('when a long text is not a date, then the error quotes only its first 64 characters', () => {
    const text = `${'x'.repeat(64)}${'y'.repeat(36)}`;
    expect(dateErrorOf(text).message).toBe(`date: is not a date: "${'x'.repeat(64)}"`);
  });
});

describe('parseEventTime without a zone', () => {
  test('when a time has no zone, then it is read as UTC, never as the server local time', () => {
    expect(isoOf('2026-06-14T10:00:00')).toBe('2026-06-14T10:00:00.000Z');
    expect(isoOf('2026-06-14 10:00')).toBe('2026-06-14T10:00:00.000Z');
  });
});
