/**
 * Grafana Alerting's optional HMAC signature of the webhook contact point (Grafana 12): hex HMAC-SHA256 with the
 * contact point's secret over `<timestamp>:<body>` when a timestamp header is configured, else over the body.
 * Hindsight reads the signature from the default header and the timestamp (unix seconds) from
 * `X-Grafana-Alerting-Timestamp`, the name the contact point must be given (Grafana has no default for it).
 */
import { hexDigestMatches, hmacSha256 } from '../hmac';
import type { SignedRequest } from '../source';

export const GRAFANA_SIGNATURE_HEADER = 'X-Grafana-Alerting-Signature';
export const GRAFANA_TIMESTAMP_HEADER = 'X-Grafana-Alerting-Timestamp';

const UNIX_SECONDS = /^\d{1,12}$/;

function hmacOf(secret: string, body: Buffer | string, timestamp: string | undefined): Buffer {
  return timestamp === undefined ? hmacSha256(secret, body) : hmacSha256(secret, `${timestamp}:`, body);
}

/** The signature Grafana would send for this body (and timestamp, when its timestamp header is set). */
export function signGrafanaRequest(
  secret: string,
  body: Buffer | string,
  timestamp?: number | string,
): string {
  return hmacOf(secret, body, timestamp === undefined ? undefined : String(timestamp)).toString('hex');
}

/**
 * Whether the request carries a signature made with `secret` over its exact bytes, and, when it sends a
 * timestamp, one within `toleranceSeconds` of `now`. Never throws: a missing, malformed or stale value is false.
 */
export function verifyGrafanaSignature(request: SignedRequest, secret: string): boolean {
  const signature = request.header(GRAFANA_SIGNATURE_HEADER)?.trim();
  const timestamp = request.header(GRAFANA_TIMESTAMP_HEADER)?.trim();
  if (timestamp !== undefined) {
    if (!UNIX_SECONDS.test(timestamp)) return false;
    const ageSeconds = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
    if (ageSeconds > request.toleranceSeconds) return false;
  }
  return hexDigestMatches(signature, hmacOf(secret, request.raw, timestamp));
}
