import { AppError, ValidationError } from '../../src/errors';
import { depthOf, MAX_JSON_DEPTH, parseWebhookBody } from '../../src/http/webhook-body';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('parseWebhookBody', () => {
  it('when the body is JSON, then it is parsed and the raw text kept', () => {
    const body = parseWebhookBody(bytes('{"a":1}'), 'application/json; charset=utf-8');
    expect(body).toEqual({ value: { a: 1 }, raw: '{"a":1}', contentType: 'application/json' });
  });

  it('when the body is form-encoded, then fields become own string properties, even __proto__', () => {
    const body = parseWebhookBody(bytes('a=1&__proto__=x&b=%7B%7D'), 'application/x-www-form-urlencoded');
    const fields = body.value as Record<string, unknown>;
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(fields.a).toBe('1');
    expect(fields.b).toBe('{}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([undefined, 'text/plain', 'application/xml', 'multipart/form-data'])(
    'when the content type is %s, then it is refused with 415',
    (type) => {
      expect(() => parseWebhookBody(bytes('{}'), type)).toThrow(
        expect.objectContaining({ status: 415 }) as AppError,
      );
    },
  );

  it.each(['', '   ', '{', '{"a":}', 'nul'])(
    'when the body is %j, then it is a 400 naming the body',
    (text) => {
      expect(() => parseWebhookBody(bytes(text), 'application/json')).toThrow(ValidationError);
    },
  );

  it('when JSON is nested past the limit, then it is refused before anyone walks it', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseWebhookBody(bytes(deep), 'application/json')).toThrow(/nested deeper/);
  });

  it('when depth is measured, then it counts objects and arrays only', () => {
    expect(depthOf(1)).toBe(0);
    expect(depthOf({ a: [1, { b: 'x' }] })).toBe(3);
    expect(depthOf(JSON.parse('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)))).toBe(MAX_JSON_DEPTH);
  });
});

describe('parseWebhookBody charsets', () => {
  it('when the charset is not UTF-8, then it is refused with 415 rather than misread', () => {
    expect(() => parseWebhookBody(bytes('{}'), 'application/json; charset=utf-16')).toThrow(
      expect.objectContaining({ status: 415 }) as AppError,
    );
  });

  it('when the body starts with a byte-order mark, then it is still parsed', () => {
    expect(parseWebhookBody(bytes('\uFEFF{"a":1}'), 'application/json; charset=UTF-8').value).toEqual({
      a: 1,
    });
  });
});

describe('parseWebhookBody media types in any case', () => {
  it.each([
    ['Application/JSON', 'application/json'],
    ['APPLICATION/JSON; Charset=UTF-8', 'application/json'],
    ['application/vnd.api+JSON', 'application/json'],
    ['  application/json  ; charset=utf-8', 'application/json'],
  ])('when the content type is %j, then it is read as JSON', (type, expected) => {
    const body = parseWebhookBody(bytes('{"a":1}'), type);
    expect(body.contentType).toBe(expected);
    expect(body.value).toEqual({ a: 1 });
  });

  it.each(['Application/X-WWW-Form-Urlencoded', 'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8'])(
    'when the content type is %j, then it is read as form fields',
    (type) => {
      const body = parseWebhookBody(bytes('a=1'), type);
      expect(body.contentType).toBe('application/x-www-form-urlencoded');
      expect(body.value).toEqual({ a: '1' });
    },
  );

  it.each(['UTF8', 'us-ascii', '"utf-8"'])('when the charset is %s, then it is accepted', (charset) => {
    expect(parseWebhookBody(bytes('{"a":1}'), `application/json; charset=${charset}`).value).toEqual({
      a: 1,
    });
  });

  it('when a refused charset is named, then the 415 names it and the content-type field', () => {
    expect(() => parseWebhookBody(bytes('{}'), 'application/json; charset=ISO-8859-1')).toThrow(
      expect.objectContaining({
        status: 415,
        code: 'unsupported_charset',
        message: 'charset iso-8859-1 is not supported; send UTF-8',
      }) as AppError,
    );
  });

  it('when the media type is refused, then the 415 says what to send', () => {
    expect(() => parseWebhookBody(bytes('{}'), 'text/plain')).toThrow(
      expect.objectContaining({
        status: 415,
        code: 'unsupported_media_type',
        message: 'send application/json or application/x-www-form-urlencoded',
      }) as AppError,
    );
  });

  it('when the body is not a buffer, then it is treated as empty', () => {
    expect(() => parseWebhookBody('{"a":1}', 'application/json')).toThrow(/is empty/);
  });
});

describe('parseWebhookBody formats a source takes', () => {
  it('when a source takes text-json and JSON arrives as text/plain, then it is parsed as JSON, its media type kept', () => {
    const body = parseWebhookBody(bytes('{"Type":"Notification"}'), 'text/plain; charset=UTF-8', [
      'text-json',
    ]);
    expect(body).toEqual({
      value: { Type: 'Notification' },
      raw: '{"Type":"Notification"}',
      contentType: 'text/plain',
    });
  });

  it('when text/plain is not JSON, then it is a 400 naming the body', () => {
    expect(() => parseWebhookBody(bytes('hello'), 'text/plain', ['text-json'])).toThrow(
      expect.objectContaining({ status: 400, field: 'body' }) as AppError,
    );
  });

  it('when a source takes JSON only, then a form body is a 415 naming only JSON', () => {
    expect(() => parseWebhookBody(bytes('a=1'), 'application/x-www-form-urlencoded', ['json'])).toThrow(
      expect.objectContaining({ status: 415, message: 'send application/json' }) as AppError,
    );
  });

  it('when a source takes JSON only, then text/plain is a 415', () => {
    expect(() => parseWebhookBody(bytes('{}'), 'text/plain', ['json'])).toThrow(
      expect.objectContaining({ status: 415 }) as AppError,
    );
  });

  it('when a source takes text-json and JSON, then an application/json body is read as JSON', () => {
    expect(parseWebhookBody(bytes('{"a":1}'), 'application/json', ['text-json', 'json']).contentType).toBe(
      'application/json',
    );
  });

  it('when a source takes text-json, then the 415 for a form names text/plain too', () => {
    expect(() =>
      parseWebhookBody(bytes('a=1'), 'application/x-www-form-urlencoded', ['text-json', 'json']),
    ).toThrow(expect.objectContaining({ message: 'send text/plain or application/json' }) as AppError);
  });
});
