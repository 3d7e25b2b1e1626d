/**
 * The API's HTTP server: how long a client may take to send a request, how long an idle keep-alive connection
 * stays open, and how many connections it holds at once. Parsed once with the rest of the configuration; each
 * problem names its variable.
 */
import { z } from 'zod';

export interface HttpServerConfig {
  /** HTTP_HEADERS_TIMEOUT_MS: from a request's first byte to the end of its headers; then 408 and closed. */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: from a request's first byte to the end of its body; then 408 and closed. */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long a connection may idle between requests before it is closed. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_CONNECTIONS: connections open at once; one more is closed as it arrives. */
  maxConnections: number;
  /**
   * How often the server looks for requests past their timeouts (Node's connectionsCheckingInterval, 30 s by
   * default, which would let a 10 s timeout run to 40 s): a tenth of the shorter timeout, 50 ms to 1 s.
   */
  connectionsCheckingIntervalMs: number;
}

export interface HttpServerEnv {
  HTTP_HEADERS_TIMEOUT_MS?: string | undefined;
  HTTP_REQUEST_TIMEOUT_MS?: string | undefined;
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: string | undefined;
  HTTP_MAX_CONNECTIONS?: string | undefined;
}

const HOUR_MS = 3_600_000;

const milliseconds = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1 ms (0 would turn the limit off)')
    .max(HOUR_MS, `must be at most ${HOUR_MS} ms (an hour)`)
    .default(fallback);

const schema = z.object({
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(10_000),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(15_000),
  // Longer than a load balancer's own idle timeout (60 s for AWS's ALB): the balancer, not Hindsight, closes
  // an idle connection, so it never sends a request on one Hindsight has just closed.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(65_000),
  HTTP_MAX_CONNECTIONS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000')
    .default(1024),
});

/** The HTTP server's settings, and a problem (`VARIABLE: why`) for each bad variable. */
export function loadHttpServerConfig(env: HttpServerEnv): {
  httpServer: HttpServerConfig | null;
  problems: string[];
} {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return {
      httpServer: null,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  const e = parsed.data;
  // Node refuses a headers timeout longer than the request's: the headers are part of the request.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS)
    return {
      httpServer: null,
      problems: [
        'HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      ],
    };
  return {
    httpServer: Object.freeze({
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      // The headers timeout is the shorter of the two.
      connectionsCheckingIntervalMs: Math.min(1000, Math.max(50, Math.floor(e.HTTP_HEADERS_TIMEOUT_MS / 10))),
    }),
    problems: [],
  };
}
