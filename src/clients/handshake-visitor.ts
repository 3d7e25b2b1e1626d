/**
 * Visits the URL a source's handshake asks for (Amazon SNS's SubscribeURL confirms a subscription with a GET).
 * The worker has checked the URL is the sender's own (SourceHandshake.allows) before calling this.
 */
import { OutboundError, boundedGet, isPermanentStatus, type Fetch } from './bounded-fetch';

export interface HandshakeOutcome {
  ok: boolean;
  /** A refusal for good (a 4xx other than 408 and 429): not worth another try. */
  permanent: boolean;
  /** Short and URL-free, for the log. */
  detail: string;
}

export type HandshakeVisitor = (url: string) => Promise<HandshakeOutcome>;

export function createHandshakeVisitor(
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): HandshakeVisitor {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url) => {
    try {
      const answer = await boundedGet(url, { fetch: fetchImpl, timeoutMs, maxBytes: 64 * 1024 });
      const ok = answer.status >= 200 && answer.status < 300;
      return { ok, permanent: !ok && isPermanentStatus(answer.status), detail: `HTTP ${answer.status}` };
    } catch (error) {
      if (error instanceof OutboundError) return { ok: false, permanent: false, detail: error.message };
      throw error;
    }
  };
}
