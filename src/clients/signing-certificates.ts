/**
 * Signing certificates fetched from the URLs a source's certificateSignature names (Amazon SNS's
 * `SigningCertURL`), kept in a bounded cache: a storm of notifications costs one fetch per certificate, and
 * concurrent requests for the same one share a single fetch. The caller has already checked the URL is the
 * sender's own (isSigningCertUrl); nothing here widens what may be fetched.
 */
import { X509Certificate } from 'node:crypto';
import { boundedGet, type Fetch } from './bounded-fetch';

export interface SigningCertificates {
  /**
   * The certificate at `url` as PEM text, when it is one that is valid now; null when the URL answers with
   * something else (a 404, not a certificate, expired). Throws when it cannot be fetched (network, timeout,
   * 5xx): the sender should try again later.
   */
  get(url: string): Promise<string | null>;
}

export interface SigningCertificatesOptions {
  fetch?: Fetch;
  timeoutMs?: number;
  /** Certificates kept; the oldest fetched goes first. */
  maxEntries?: number;
  /** How long a certificate (or a URL that has none) is kept before it is fetched again. */
  ttlMs?: number;
  now?: () => Date;
}

/** An SNS certificate is about 2 KB; a larger answer is not one. */
const MAX_CERTIFICATE_BYTES = 16 * 1024;

interface Entry {
  expiresAt: number;
  value: Promise<string | null>;
}

export function createSigningCertificates(options: SigningCertificatesOptions = {}): SigningCertificates {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 64;
  const ttlMs = options.ttlMs ?? 6 * 3600_000;
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();

  async function load(url: string): Promise<string | null> {
    const answer = await boundedGet(url, { fetch: fetchImpl, timeoutMs, maxBytes: MAX_CERTIFICATE_BYTES });
    if (answer.status >= 500 || answer.status === 408 || answer.status === 429)
      throw new Error(`the certificate URL answered HTTP ${answer.status}`);
    if (answer.status !== 200 || answer.truncated) return null;
    return usableCertificate(answer.body.toString('utf8'), now());
  }

  return {
    get(url) {
      const at = now().getTime();
      const cached = entries.get(url);
      if (cached !== undefined && cached.expiresAt > at) return cached.value;
      entries.delete(url);
      const value = load(url);
      entries.set(url, { expiresAt: at + ttlMs, value });
      // A failed fetch is not remembered: the next request tries again.
      value.catch(() => {
        if (entries.get(url)?.value === value) entries.delete(url);
      });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}

/** The PEM when it is one X.509 certificate valid at `at`; null otherwise. */
export function usableCertificate(pem: string, at: Date): string | null {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return null;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return null;
  }
  const validFrom = Date.parse(certificate.validFrom);
  const validTo = Date.parse(certificate.validTo);
  return validFrom <= at.getTime() && at.getTime() <= validTo ? pem : null;
}
