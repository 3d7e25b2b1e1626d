/**
 * Turns a webhook's raw bytes into the value an adapter reads: JSON, or form fields. `readWebhookBody` reads
 * every format and is what the route calls; `parseWebhookBody` reads all but multipart/form-data, synchronously
 * (busboy reads that one, and says it is done only by its events).
 */
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError, ValidationError } from '../errors';
import type { BodyFormat } from '../sources/source';

export interface WebhookBody {
  /** Parsed JSON, or form fields as a plain object of strings. */
  value: unknown;
  /** The body as text, kept for the alert log and for reading numbers JSON.parse would round. */
  raw: string;
  contentType:
    'application/json' | 'application/x-www-form-urlencoded' | 'multipart/form-data' | 'text/plain';
}

/** Deeper than this is no monitor's payload; it is refused before an adapter walks it. */
export const MAX_JSON_DEPTH = 32;

/** More fields than this is no monitor's form (Uptime Kuma sends one); such a body is refused. */
export const MAX_MULTIPART_FIELDS = 32;

const MEDIA_TYPE_OF: Record<BodyFormat, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  'text-json': 'text/plain',
  multipart: 'multipart/form-data',
};

function formatOf(mediaType: string): BodyFormat | null {
  if (mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'text/plain') return 'text-json';
  if (mediaType === 'multipart/form-data') return 'multipart';
  return null;
}

/** The body in the first of `formats` its Content-Type names, any of them; a 415 naming the accepted types otherwise. */
export async function readWebhookBody(
  bytes: unknown,
  contentTypeHeader: string | undefined,
  formats: readonly BodyFormat[],
): Promise<WebhookBody> {
  const { format, buffer, raw } = negotiate(bytes, contentTypeHeader, formats);
  if (format !== 'multipart') return readText(format, raw);
  const value = await multipartFields(buffer, contentTypeHeader ?? '');
  return { value, raw, contentType: 'multipart/form-data' };
}

/**
 * readWebhookBody for the formats read synchronously: all but multipart/form-data, which is a programming error
 * here (an Error, not a 4xx).
 */
export function parseWebhookBody(
  bytes: unknown,
  contentTypeHeader: string | undefined,
  formats: readonly BodyFormat[] = ['json', 'form'],
): WebhookBody {
  const { format, raw } = negotiate(bytes, contentTypeHeader, formats);
  if (format === 'multipart') throw new Error('a multipart/form-data body is read by readWebhookBody');
  return readText(format, raw);
}

/** The format named, the charset checked (415s), and the bytes as text, which must not be empty (400). */
function negotiate(
  bytes: unknown,
  contentTypeHeader: string | undefined,
  formats: readonly BodyFormat[],
): { format: BodyFormat; buffer: Buffer; raw: string } {
  const mediaType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  const format = formatOf(mediaType);
  if (format === null || !formats.includes(format)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `send ${formats.map((f) => MEDIA_TYPE_OF[f]).join(' or ')}`,
      { field: 'content-type' },
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentTypeHeader ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii')
    throw unsupportedCharset(`charset ${charset.slice(0, 40)} is not supported; send UTF-8`);
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.alloc(0);
  // A byte-order mark is not part of the payload; some senders write one anyway.
  const raw = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (raw.trim().length === 0) throw new ValidationError('body', 'is empty');
  return { format, buffer, raw };
}

function unsupportedCharset(message: string): AppError {
  return new AppError(415, 'unsupported_charset', message, { field: 'content-type' });
}

function readText(format: Exclude<BodyFormat, 'multipart'>, raw: string): WebhookBody {
  if (format === 'form') {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(raw)) setField(fields, key, value);
    return { value: fields, raw, contentType: 'application/x-www-form-urlencoded' };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ValidationError('body', `is not valid JSON (${(error as Error).message})`);
  }
  if (depthOf(value) > MAX_JSON_DEPTH)
    throw new ValidationError('body', `is nested deeper than ${MAX_JSON_DEPTH} levels`);
  return { value, raw, contentType: format === 'json' ? 'application/json' : 'text/plain' };
}

/** A field as an own property, so that `__proto__` or `constructor` is a key like any other. */
function setField(fields: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The text fields of a multipart/form-data body, read by busboy from the bytes the route has already read (and
 * size-limited), so no field can be longer than the body. Refused with a 400: a body without its closing
 * boundary or with a malformed part, more than MAX_MULTIPART_FIELDS fields, a field sent twice (taking one copy
 * would be a guess), a part without a name, and a file part (no text field, so never silently dropped). A part
 * in a charset busboy cannot decode is a 415. Settles on the first of: a refusal, busboy's 'error', its
 * 'finish', or its 'close' (busboy always closes; closing before 'finish' without an error is refused too).
 */
function multipartFields(bytes: Buffer, contentType: string): Promise<Record<string, string>> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: { fields: MAX_MULTIPART_FIELDS, fieldSize: bytes.length },
    });
  } catch (error) {
    const reason = (error as Error).message;
    return Promise.reject(new ValidationError('content-type', `needs a multipart boundary (${reason})`));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const refuse = (field: string, message: string) => reject(new ValidationError(field, message));
    parser.on('field', (name: string | undefined, value: string | undefined) => {
      if (name === undefined) refuse('body', 'has a form-data part without a name');
      else if (value === undefined)
        reject(
          unsupportedCharset(`part ${name.slice(0, 100)} is in a charset that is not supported; send UTF-8`),
        );
      else if (Object.hasOwn(fields, name)) refuse(name.slice(0, 100), 'is sent more than once');
      else setField(fields, name, value);
    });
    parser.on('file', (name: string | undefined, file: Readable) => {
      file.resume();
      refuse(name?.slice(0, 100) ?? 'body', 'is a file part; only text fields are read');
    });
    parser.on('fieldsLimit', () => refuse('body', `has more than ${MAX_MULTIPART_FIELDS} fields`));
    parser.on('error', (error: Error) =>
      refuse('body', `is not well-formed multipart/form-data (${error.message})`),
    );
    parser.on('finish', () => resolve(fields));
    parser.on('close', () => refuse('body', 'ended before its multipart form was read'));
    parser.end(bytes);
  });
}

/** Nesting depth, computed without recursion so that no input can exhaust the stack. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
