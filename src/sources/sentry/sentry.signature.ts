/**
 * Sentry integration platform signatures: `Sentry-Hook-Signature: <hex HMAC-SHA256 of the raw body>`, keyed
 * with the integration's client secret. Sentry signs the body alone: `Sentry-Hook-Timestamp` is not part of
 * the signature (and is minted afresh for each retry), so there is no signed age to check, and a replay is
 * the same event, which its event id makes a duplicate.
 */
import { hexDigestMatches, hmacSha256 } from '../hmac';
import type { SignedRequest } from '../source';

export const SENTRY_SIGNATURE_HEADER = 'Sentry-Hook-Signature';

/** The header value Sentry would send for these bytes and this client secret. */
export function signSentryBody(raw: Buffer | string, secret: string): string {
  return hmacSha256(secret, raw).toString('hex');
}

/** Whether the header is the raw body's HMAC with `secret`, compared in constant time; never throws. */
export function verifySentrySignature(request: SignedRequest, secret: string): boolean {
  return hexDigestMatches(request.header(SENTRY_SIGNATURE_HEADER)?.trim(), hmacSha256(secret, request.raw));
}
