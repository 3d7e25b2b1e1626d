/**
 * Amazon SNS message signatures, the pure half: which URLs are Amazon SNS's own (the only ones Hindsight will
 * fetch a signing certificate from or visit to confirm a subscription), and whether a message is signed by a
 * given certificate. Fetching the certificate and checking its chain are the caller's.
 */
import { X509Certificate, createVerify } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from './sns.message';

/** An AWS region code: two letters, dashed words and a number (`us-east-1`, `eu-west-3`, `us-gov-west-1`). */
export const AWS_REGION = /[a-z]{2}(?:-[a-z]+)+-\d{1,2}/.source;
/** `sns.<region>.amazonaws.com`, or `sns.<region>.amazonaws.com.cn` for a China region (`cn-north-1`). */
const SNS_HOST = new RegExp(`^sns\\.(${AWS_REGION})\\.amazonaws\\.com(\\.cn)?$`);
/** What a URL SNS sends may contain: no spaces, controls or backslashes, which URL parsers read differently. */
const PLAIN_URL = /^[\x21-\x7e]+$/;

/**
 * Whether `url` is an https URL of Amazon SNS itself: host exactly `sns.<region>.amazonaws.com` (`.com.cn` for,
 * and only for, China regions), no user or password, no port but the default. Never throws.
 */
export function isAwsSnsUrl(url: string): boolean {
  if (!PLAIN_URL.test(url) || url.includes('\\')) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '')
    return false;
  const host = SNS_HOST.exec(parsed.hostname);
  if (host === null) return false;
  const isChinaRegion = host[1]!.startsWith('cn-');
  return isChinaRegion === (host[2] === '.cn');
}

/** Whether `url` is where SNS keeps a signing certificate: an Amazon SNS URL whose path ends in `.pem`. */
export function isSigningCertUrl(url: string): boolean {
  return isAwsSnsUrl(url) && new URL(url).pathname.endsWith('.pem');
}

/** The hash each SignatureVersion signs with; any other version is not verifiable. */
const ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1', 'RSA-SHA1'],
  ['2', 'RSA-SHA256'],
]);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether `message` carries a valid signature by the certificate `certificatePem` (PEM text), over
 * `snsStringToSign(message)` with the hash of its SignatureVersion. An unknown version, a missing or
 * non-base64 signature, or a certificate that cannot be read all give false; it never throws.
 */
export function verifySnsSignature(message: SnsMessage, certificatePem: string): boolean {
  const algorithm = ALGORITHMS.get(message.SignatureVersion ?? '');
  const signature = message.Signature;
  if (algorithm === undefined || signature === null || !BASE64.test(signature)) return false;
  try {
    const certificate = new X509Certificate(certificatePem);
    return createVerify(algorithm)
      .update(snsStringToSign(message), 'utf8')
      .verify(certificate.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
