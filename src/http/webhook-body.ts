/** Turns a webhook's raw bytes into the value an adapter reads: JSON, or form fields. */
import { AppError, ValidationError } from '../errors';
import type { BodyFormat } from '../sources/source';

export interface WebhookBody {
  /** Parsed JSON, or form fields as a plain object of strings. */
  value: unknown;
  /** The body as text, kept for the alert log and for reading numbers JSON.parse would round. */
  raw: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain';
}

/** Deeper than this is no monitor's payload; it is refused before an adapter walks it. */
export const MAX_JSON_DEPTH = 32;

const MEDIA_TYPE_OF: Record<BodyFormat, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  'text-json': 'text/plain',
};

function formatOf(mediaType: string): BodyFormat | null {
  if (mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'text/plain') return 'text-json';
  return null;
}

/** The body in the first of `formats` its Content-Type names; a 415 naming the accepted types otherwise. */
export function parseWebhookBody(
  bytes: unknown,
  contentTypeHeader: string | undefined,
  formats: readonly BodyFormat[] = ['json', 'form'],
): WebhookBody {
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
  const isForm = format === 'form';
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentTypeHeader ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new AppError(
      415,
      'unsupported_charset',
      `charset ${charset.slice(0, 40)} is not supported; send UTF-8`,
      {
        field: 'content-type',
      },
    );
  }
  // A byte-order mark is not part of the payload; some senders write one anyway.
  const raw = (Buffer.isBuffer(bytes) ? bytes.toString('utf8') : '').replace(/^\uFEFF/, '');
  if (raw.trim().length === 0) throw new ValidationError('body', 'is empty');

  if (isForm) {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    }
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
