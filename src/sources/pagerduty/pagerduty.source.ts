/**
 * PagerDuty V3 webhook subscriptions, as a source: JSON, signed with the subscription's secret.
 *
 * Signatures: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>`, one `v1=` value per signing
 * secret, comma-separated while a subscription's secret is rotated. A request is signed when any one of them is
 * the body's HMAC with our secret. PagerDuty signs no timestamp, so there is no age to check (a replay is the
 * same event: its event id makes it a duplicate).
 */
import { hexDigestMatches, hmacSha256 } from '../hmac';
import { defineSource, type SignedRequest } from '../source';
import { parsePagerDutyWebhook } from './pagerduty.adapter';

export const PAGERDUTY_SIGNATURE_HEADER = 'X-PagerDuty-Signature';

/** Values past this many are not read, so a huge header costs no more than this many compares. */
const MAX_SIGNATURES = 8;
const V1_SIGNATURE = /^v1=(.*)$/i;

/** The header value PagerDuty would send for these bytes and this secret (`v1=<hex>`). */
export function signPagerDutyBody(raw: Buffer | string, secret: string): string {
  return `v1=${hmacSha256(secret, raw).toString('hex')}`;
}

/** Whether any `v1=` value of the header is the raw body's HMAC with `secret`; compared in constant time. */
export function verifyPagerDutySignature(request: SignedRequest, secret: string): boolean {
  const header = request.header(PAGERDUTY_SIGNATURE_HEADER);
  if (header === undefined) return false;
  const expected = hmacSha256(secret, request.raw);
  let matched = false;
  for (const value of header.split(',').slice(0, MAX_SIGNATURES)) {
    // Every candidate is compared, a match or not, so the time taken does not say which one matched.
    if (hexDigestMatches(V1_SIGNATURE.exec(value.trim())?.[1], expected)) matched = true;
  }
  return matched;
}

export const pagerdutySource = defineSource({
  name: 'pagerduty',
  bodyFormats: ['json'],
  signature: { header: PAGERDUTY_SIGNATURE_HEADER, verify: verifyPagerDutySignature },
  parse: parsePagerDutyWebhook,
});
