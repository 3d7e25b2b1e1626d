/**
 * One outbound GET with everything bounded: a timeout, no redirect followed (a 3xx is an answer, not a new
 * address to trust), and at most `maxBytes` of the answer read. Errors are short and URL-free, since URLs
 * carry tokens (an SNS SubscribeURL does): they may be logged.
 */

/** The fetch to use: the global one, or a test's (test/helpers send Amazon's hosts to a local server). */
export type Fetch = typeof fetch;

export interface FetchedAnswer {
  status: number;
  /** The start of the body, up to maxBytes. */
  body: Buffer;
  /** Whether the body was longer than maxBytes. */
  truncated: boolean;
}

export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface BoundedGet {
  fetch: Fetch;
  timeoutMs: number;
  maxBytes: number;
}

export async function boundedGet(url: string, options: BoundedGet): Promise<FetchedAnswer> {
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'GET',
      headers: { 'User-Agent': 'Hindsight' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new OutboundError(describeNetworkError(error, options.timeoutMs));
  }
  const { body, truncated } = await readUpTo(response, options.maxBytes);
  return { status: response.status, body, truncated };
}

/** A 4xx is a refusal for good, except 408 (timeout) and 429 (slow down); anything else may be retried. */
export function isPermanentStatus(statusCode: number | null): boolean {
  return (
    statusCode !== null && statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429
  );
}

/** What went wrong, without the address: a timeout, or the network error's code. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: unknown; cause?: { code?: unknown; name?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  // Only the error code: undici's messages may quote the address, and an error could quote the URL.
  const code = e.cause?.code ?? e.cause?.name;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)
    ? `network error: ${code}`
    : 'network error';
}

/** The first `maxBytes` of the answer; leaving the loop early cancels the rest. */
export async function readUpTo(
  response: Response,
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  if (response.body === null) return { body: Buffer.alloc(0), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size > maxBytes) {
        truncated = true;
        break;
      }
    }
  } catch {
    // What was read is what there is; the status is what matters.
  }
  const body = Buffer.concat(chunks);
  return { body: body.subarray(0, maxBytes), truncated };
}
