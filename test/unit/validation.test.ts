/** The shared body and query parser: the field a 400 names, and strings holding U+0000 refused anywhere. */
import { z } from 'zod';
import { ValidationError } from '../../src/errors';
import { NUL_MESSAGE, nulPathOf, parseOr400, refuseNul } from '../../src/http/validation';

const note = z.strictObject({
  author: z.string(),
  text: z.string().trim().min(1),
  tags: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseOr400', () => {
  it('when the body fits the schema, then it is returned parsed', () => {
    expect(parseOr400(note, { author: 'alice', text: '  rolled back  ' })).toEqual({
      author: 'alice',
      text: 'rolled back',
    });
  });

  it('when a field does not fit, then the 400 names it', () => {
    const error = refusal(() => parseOr400(note, { author: 'alice', text: '' }));
    expect(error.status).toBe(400);
    expect(error.field).toBe('text');
  });

  it('when a strict object has an unknown key, then the 400 names the key', () => {
    expect(refusal(() => parseOr400(note, { author: 'a', text: 'b', extra: 1 })).field).toBe('extra');
  });

  it.each([
    ['a top-level field', { author: 'alice', text: 'rolled\u0000back' }, 'text'],
    ['a field that is only a NUL character', { author: '\u0000', text: 'x' }, 'author'],
    [
      'a nested value',
      {
        author: 'a',
        text: 'b',
        tags: [
          { key: 'k', value: 'v' },
          { key: 'k', value: 'v\u0000' },
        ],
      },
      'tags.1.value',
    ],
    ['a key', { author: 'a', text: 'b', ['ex\u0000tra']: 'c' }, 'ex\\0tra'],
    ['a nested key', { author: 'a', text: 'b', tags: [{ ['\u0000']: 'v' }] }, 'tags.0.\\0'],
  ])('when %s holds a NUL character, then the 400 names it and says why', (_what, body, field) => {
    const error = refusal(() => parseOr400(note, body));
    expect(error).toMatchObject({ status: 400, code: 'invalid_payload', field });
    expect(error.message).toBe(`${field}: ${NUL_MESSAGE}`);
    expect(NUL_MESSAGE).toBe('contains a NUL character, which cannot be stored');
  });

  it('when the value itself is a string holding a NUL character, then the fallback field is named', () => {
    expect(refusal(() => parseOr400(z.string(), 'a\u0000', 'version')).field).toBe('version');
  });

  it('when a NUL character would also fail the schema, then the NUL character is what is named', () => {
    // `text` is first checked for a NUL (a schema could trim or transform it away before it is stored).
    expect(refusal(() => parseOr400(note, { text: '\u0000' })).message).toBe(`text: ${NUL_MESSAGE}`);
  });

  it('when a value is nested very deep, then it is still checked, without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(nulPathOf(deep)).toHaveLength(100_000);
    expect(() => refuseNul(deep)).toThrow(ValidationError);
  });

  it('when no string holds a NUL character, then nothing is refused', () => {
    expect(nulPathOf({ a: ['b', 1, null, true, { c: 'd' }], e: 'escaped \\u0000 is text' })).toBeNull();
    expect(() => refuseNul({ text: 'fine' })).not.toThrow();
  });
});
