/**
 * The HMAC-SHA256 signatures monitors put on their webhooks (Grafana, PagerDuty, Sentry): the digest of given
 * parts, and the constant-time check of a hex value a request carries against it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Whole bytes of hex: Buffer.from would silently drop an odd last digit or anything after a non-hex one. */
const HEX_BYTES = /^(?:[0-9a-f]{2})+$/i;

/** HMAC-SHA256 with `secret` over the parts in order (e.g. a timestamp, `:`, the raw body). */
export function hmacSha256(secret: string, ...parts: readonly (Buffer | string)[]): Buffer {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * Whether `hex` spells exactly the `expected` digest, compared in constant time. Never throws: an absent value,
 * one that is not whole bytes of hex, or one of another length is false.
 */
export function hexDigestMatches(hex: string | undefined, expected: Buffer): boolean {
  if (hex === undefined || !HEX_BYTES.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
