import { AppError, ValidationError } from '../../src/errors';
import {
  MAX_MULTIPART_FIELDS,
  parseWebhookBody,
  readWebhookBody,
  type WebhookBody,
} from '../../src/http/webhook-body';

/** A boundary as the form-data package (Uptime Kuma's) makes them: 26 dashes and 24 hex digits. */
const BOUNDARY = '--------------------------4a1c7e09b2d35f68c0e1a947';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

const bytes = (s: string) => Buffer.from(s, 'utf8');
/** A text field's part: its Content-Disposition, a blank line, the value. */
const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
/** A whole body: each part after a delimiter, then the closing delimiter. */
const form = (...parts: string[]) =>
  parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join('') + `--${BOUNDARY}--\r\n`;
const readForm = (body: string | Buffer, type = MULTIPART): Promise<WebhookBody> =>
  readWebhookBody(typeof body === 'string' ? bytes(body) : body, type, ['json', 'multipart']);

/** The error reading the body rejects with; the test fails when it resolves. */
async function refusalOf(read: Promise<WebhookBody>): Promise<AppError> {
  const outcome = await read.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

describe('readWebhookBody multipart/form-data', () => {
  it('when a form-data body is read, then its text fields are the value, raw is the body as sent, and the media type is multipart/form-data', async () => {
    const body = form(field('data', '{"msg":"[Checkout API] [🔴 Down] 503"}'), field('note', 'é ✓'));
    expect(await readForm(body)).toEqual({
      value: { data: '{"msg":"[Checkout API] [🔴 Down] 503"}', note: 'é ✓' },
      raw: body,
      contentType: 'multipart/form-data',
    });
  });

  it('when fields are named __proto__ and constructor, then they are own string properties and no prototype changes', async () => {
    const { value } = await readForm(form(field('__proto__', '{"polluted":1}'), field('constructor', 'x')));
    const fields = value as Record<string, unknown>;
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')).toEqual({
      value: '{"polluted":1}',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(fields.constructor).toBe('x');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when a field is bigger than busboy would take by default (1 MiB), then it is still read whole', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect(((await readForm(form(field('data', big)))).value as Record<string, string>).data).toBe(big);
  });

  it(`when there are ${MAX_MULTIPART_FIELDS} fields, then all are read; one more, then the body is refused`, async () => {
    const parts = (n: number) => Array.from({ length: n }, (_, i) => field(`f${i}`, String(i)));
    expect(Object.keys((await readForm(form(...parts(MAX_MULTIPART_FIELDS)))).value as object)).toHaveLength(
      MAX_MULTIPART_FIELDS,
    );
    const error = await refusalOf(readForm(form(...parts(MAX_MULTIPART_FIELDS + 1))));
    expect([error.status, error.message]).toEqual([
      400,
      `body: has more than ${MAX_MULTIPART_FIELDS} fields`,
    ]);
  });

  it('when a field is sent twice, then the body is refused naming it, rather than one copy guessed', async () => {
    const error = await refusalOf(readForm(form(field('data', '{}'), field('data', '[]'))));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('data: is sent more than once');
  });

  it.each([
    [
      'a file name',
      'Content-Disposition: form-data; name="data"; filename="payload.json"\r\nContent-Type: application/json',
    ],
    [
      'application/octet-stream',
      'Content-Disposition: form-data; name="data"\r\nContent-Type: application/octet-stream',
    ],
  ])('when a part is a file (%s), then the body is refused naming the part', async (_what, headers) => {
    const error = await refusalOf(readForm(form(field('note', 'x'), `${headers}\r\n\r\n{"msg":"x"}`)));
    expect([error.status, (error as ValidationError).field]).toEqual([400, 'data']);
    expect(error.message).toBe('data: is a file part; only text fields are read');
  });

  it('when a refused part has a long name, then the error names its first 100 characters', async () => {
    const name = 'n'.repeat(200);
    const twice = await refusalOf(readForm(form(field(name, '1'), field(name, '2'))));
    expect((twice as ValidationError).field).toBe('n'.repeat(100));
    const file = `Content-Disposition: form-data; name="${name}"; filename="a.json"\r\n\r\n{}`;
    expect(((await refusalOf(readForm(form(file)))) as ValidationError).field).toBe('n'.repeat(100));
    const charset = `Content-Disposition: form-data; name="${name}"\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nabc`;
    expect((await refusalOf(readForm(form(charset)))).message).toBe(
      `part ${'n'.repeat(100)} is in a charset that is not supported; send UTF-8`,
    );
  });

  it('when a file part has no name, then the refusal names the body', async () => {
    const error = await refusalOf(
      readForm(form('Content-Disposition: form-data; filename="a.json"\r\n\r\n{}')),
    );
    expect(error.message).toBe('body: is a file part; only text fields are read');
  });

  it('when a part has no name, then the body is refused; a part without Content-Disposition is no field', async () => {
    const error = await refusalOf(readForm(form('Content-Disposition: form-data\r\n\r\nx')));
    expect(error.message).toBe('body: has a form-data part without a name');
    expect((await readForm(form('Content-Type: text/plain\r\n\r\nx', field('a', '1')))).value).toEqual({
      a: '1',
    });
  });

  it.each(['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; charset=utf-8'])(
    'when the content type is %j (no boundary), then a 400 names content-type',
    async (type) => {
      const error = await refusalOf(readForm(form(field('data', '{}')), type));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('content-type');
      expect(error.message).toMatch(/^content-type: needs a multipart boundary \(.+\)$/);
    },
  );

  it.each([
    ['cut inside a field value', form(field('data', '{"msg":"x"}')).split('"x"')[0]!],
    ['cut inside a part header', form(field('data', '{}')).slice(0, `--${BOUNDARY}\r\nContent-Disp`.length)],
    ['without its closing delimiter', `--${BOUNDARY}\r\n${field('data', '{}')}\r\n--${BOUNDARY}`],
    ['with another boundary than its Content-Type', form(field('data', '{}')).replaceAll('4a1c7e', '000000')],
    ['not multipart at all', '{"msg":"x"}'],
  ])('when the body is %s, then a 400 names the body and says why', async (_what, body) => {
    const error = await refusalOf(readForm(body));
    expect((error as ValidationError).field).toBe('body');
    expect(error.message).toBe('body: is not well-formed multipart/form-data (Unexpected end of form)');
  });

  it('when a part header is malformed, then a 400 names the body and says why', async () => {
    const error = await refusalOf(readForm(form('Content-Disposition form-data; name="data"\r\n\r\n{}')));
    expect(error.message).toBe('body: is not well-formed multipart/form-data (Malformed part header)');
  });

  it('when the body is empty, then a 400 names the body', async () => {
    const error = await refusalOf(readForm(''));
    expect([error.status, error.message]).toEqual([400, 'body: is empty']);
  });

  it('when the form has no part at all, then its value has no field', async () => {
    expect((await readForm(`--${BOUNDARY}--\r\n`)).value).toEqual({});
  });
});

describe('readWebhookBody multipart/form-data charsets', () => {
  it('when the Content-Type says charset=utf-8, then it is read; another charset is a 415 naming content-type', async () => {
    const body = form(field('data', '✓'));
    expect((await readForm(body, `${MULTIPART}; charset=UTF-8`)).value).toEqual({ data: '✓' });
    const error = await refusalOf(readForm(body, `${MULTIPART}; charset=iso-8859-1`));
    expect([error.status, error.code, error.details]).toEqual([
      415,
      'unsupported_charset',
      { field: 'content-type' },
    ]);
  });

  it('when a part names a charset busboy decodes, then it is read in it; one it cannot decode is a 415 naming the part', async () => {
    const latin1 = Buffer.concat([
      bytes(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="msg"\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n`,
      ),
      Buffer.from([0xe9]),
      bytes(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    expect((await readForm(latin1)).value).toEqual({ msg: 'é' });
    const unknown = form(
      'Content-Disposition: form-data; name="msg"\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nabc',
    );
    const error = await refusalOf(readForm(unknown));
    expect([error.status, error.code]).toEqual([415, 'unsupported_charset']);
    expect(error.message).toBe('part msg is in a charset that is not supported; send UTF-8');
  });

  it('when a field name is UTF-8, then it is read as UTF-8', async () => {
    expect((await readForm(form(field('données', '1')))).value).toEqual({ données: '1' });
  });
});

describe('readWebhookBody and parseWebhookBody', () => {
  it.each([
    ['application/json', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1&__proto__=x'],
  ])('when the body is %s, then readWebhookBody gives what parseWebhookBody gives', async (type, text) => {
    expect(await readWebhookBody(bytes(text), type, ['json', 'form'])).toEqual(
      parseWebhookBody(bytes(text), type, ['json', 'form']),
    );
  });

  it('when a source takes multipart, then the 415 for another type names multipart/form-data', async () => {
    const error = await refusalOf(
      readWebhookBody(bytes('a=1'), 'application/x-www-form-urlencoded', ['json', 'multipart']),
    );
    expect([error.status, error.message]).toEqual([415, 'send application/json or multipart/form-data']);
  });

  it('when a source takes multipart only, then another media type is a 415, not read as a form', async () => {
    const error = await refusalOf(readWebhookBody(bytes('<alert/>'), 'application/xml', ['multipart']));
    expect([error.status, error.message]).toEqual([415, 'send multipart/form-data']);
  });

  it('when a source does not take multipart, then a form-data body is a 415', async () => {
    const error = await refusalOf(readWebhookBody(bytes(form(field('data', '{}'))), MULTIPART, ['json']));
    expect([error.status, error.message]).toEqual([415, 'send application/json']);
  });

  it('when parseWebhookBody is handed a multipart body, then it says to read it with readWebhookBody (a programming error, no 4xx)', () => {
    let thrown: unknown = null;
    try {
      parseWebhookBody(bytes(form(field('data', '{}'))), MULTIPART, ['multipart']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(AppError);
    expect((thrown as Error).message).toBe('a multipart/form-data body is read by readWebhookBody');
  });
});
