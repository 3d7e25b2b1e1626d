/** The alert log's page cursor: what it decodes to, and everything it refuses with a 400 naming `cursor`. */
import { ValidationError } from '../../src/errors';
import { alertLogListPlan, decodeCursor } from '../../src/persistence/alert-log.repository';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusal(cursor: string): ValidationError {
  try {
    decodeCursor(cursor);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${cursor} to be refused`);
}

describe('decodeCursor', () => {
  it('when the cursor is one the list returns, then it names that time and id', () => {
    const id = `datadog|datadog:${'e'.repeat(500)}`;
    expect(decodeCursor(cursorOf([1718000000000, id]))).toEqual({
      receivedAt: new Date(1718000000000),
      id,
    });
  });

  it('when the time is at either end of the dates, then it is still a date', () => {
    expect(decodeCursor(cursorOf([8.64e15, 'x'])).receivedAt.getTime()).toBe(8.64e15);
    expect(decodeCursor(cursorOf([-8.64e15, 'x'])).receivedAt.getTime()).toBe(-8.64e15);
  });

  it.each<[string, string]>([
    ['a time past any date', cursorOf([1e300, 'x'])],
    ['a time one past the last date', cursorOf([8.64e15 + 1, 'x'])],
    ['a time before the first date', cursorOf([-8.64e15 - 1, 'x'])],
    ['a time that is not whole', cursorOf([1.5, 'x'])],
    ['a time as text', cursorOf(['1718000000000', 'x'])],
    ['null for a time', cursorOf([null, 'x'])],
    ['an id that is not text', cursorOf([0, 5])],
    ['an empty id', cursorOf([0, ''])],
    ['an id of 602 characters', cursorOf([0, 'x'.repeat(602)])],
    ['an id holding a NUL character', cursorOf([0, 'a\u0000b'])],
    ['one item', cursorOf([0])],
    ['three items', cursorOf([0, 'x', 'y'])],
    ['an object', cursorOf({ 0: 0, 1: 'x' })],
    ['not JSON', Buffer.from('[0,"x"').toString('base64url')],
    ['empty', ''],
    // Valid JSON naming a valid position, refused for its length alone (before it is decoded).
    [
      'longer than any cursor the list makes',
      Buffer.from(`[0,${' '.repeat(5000)}"x"]`).toString('base64url'),
    ],
  ])('when the cursor is %s, then a ValidationError names cursor', (_what, cursor) => {
    const error = refusal(cursor);
    expect(error.field).toBe('cursor');
    expect(error.status).toBe(400);
  });

  it('when an id is as long as a record id can be (source, |, event id), then it is taken', () => {
    expect(decodeCursor(cursorOf([0, 'x'.repeat(601)])).id).toHaveLength(601);
    // JSON writes each control character in 6 bytes: the longest cursor the list can make.
    const longest = cursorOf([-8.64e15, '\u0001'.repeat(601)]);
    expect(longest.length).toBeGreaterThan(4000);
    expect(decodeCursor(longest).id).toHaveLength(601);
  });

  it('when a listing has a cursor, then its filter starts after that record', () => {
    const plan = alertLogListPlan({ limit: 10, cursor: cursorOf([1718000000000, 'datadog|1']) });
    expect(JSON.stringify(plan.filter)).toContain('datadog|1');
    expect(() => alertLogListPlan({ limit: 10, cursor: cursorOf([1e300, 'x']) })).toThrow(ValidationError);
  });
});
