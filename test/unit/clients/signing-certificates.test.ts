import { X509Certificate } from 'node:crypto';
import type { Fetch } from '../../../src/clients/bounded-fetch';
import { createSigningCertificates, usableCertificate } from '../../../src/clients/signing-certificates';
import { TEST_CERT_URL, TEST_SNS_CERTIFICATE } from '../../helpers/sns';

const URL_B = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-b.pem';
const validFrom = new Date(new X509Certificate(TEST_SNS_CERTIFICATE).validFrom);
const validTo = new Date(new X509Certificate(TEST_SNS_CERTIFICATE).validTo);
const during = new Date(validFrom.getTime() + 86_400_000);

/** A stand-in for the network: answers each URL from `answers`, counting requests. */
function fakeFetch(answers: (url: string) => Response | Promise<Response>) {
  const requested: string[] = [];
  const fetchFake: Fetch = async (input) => {
    const url = input instanceof Request ? input.url : input.toString();
    requested.push(url);
    return answers(url);
  };
  return { fetch: fetchFake, requested };
}

const pem = () => new Response(TEST_SNS_CERTIFICATE, { status: 200 });

describe('createSigningCertificates', () => {
  test('when the same certificate is asked for many times, at once and later, then it is fetched once', async () => {
    const network = fakeFetch(pem);
    const certificates = createSigningCertificates({ fetch: network.fetch, now: () => during });
    const first = await Promise.all(Array.from({ length: 20 }, () => certificates.get(TEST_CERT_URL)));
    const later = await certificates.get(TEST_CERT_URL);
    expect(new Set([...first, later])).toEqual(new Set([TEST_SNS_CERTIFICATE]));
    expect(network.requested).toEqual([TEST_CERT_URL]);
  });

  test('when its time in the cache is over, then it is fetched again', async () => {
    const network = fakeFetch(pem);
    let at = during.getTime();
    const certificates = createSigningCertificates({
      fetch: network.fetch,
      ttlMs: 1000,
      now: () => new Date(at),
    });
    await certificates.get(TEST_CERT_URL);
    at += 999;
    await certificates.get(TEST_CERT_URL);
    expect(network.requested).toHaveLength(1);
    at += 2;
    await certificates.get(TEST_CERT_URL);
    expect(network.requested).toHaveLength(2);
  });

  test('when more certificates are asked for than it keeps, then the oldest is the one fetched again', async () => {
    const network = fakeFetch(pem);
    const certificates = createSigningCertificates({
      fetch: network.fetch,
      maxEntries: 1,
      now: () => during,
    });
    await certificates.get(TEST_CERT_URL);
    await certificates.get(URL_B);
    await certificates.get(URL_B);
    await certificates.get(TEST_CERT_URL);
    expect(network.requested).toEqual([TEST_CERT_URL, URL_B, TEST_CERT_URL]);
  });

  test.each([
    ['a 404', () => new Response('no such key', { status: 404 })],
    ['a 403', () => new Response('denied', { status: 403 })],
    [
      'a redirect',
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/c.pem' } }),
    ],
    ['something that is no certificate', () => new Response('<html>hello</html>', { status: 200 })],
    [
      'a broken certificate',
      () => new Response('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', { status: 200 }),
    ],
    ['an answer over 16 KiB', () => new Response(TEST_SNS_CERTIFICATE + 'x'.repeat(17_000), { status: 200 })],
  ])(
    'when the URL answers %s, then there is no certificate (and it is remembered)',
    async (_what, answer) => {
      const network = fakeFetch(answer);
      const certificates = createSigningCertificates({ fetch: network.fetch, now: () => during });
      expect(await certificates.get(TEST_CERT_URL)).toBeNull();
      expect(await certificates.get(TEST_CERT_URL)).toBeNull();
      expect(network.requested).toHaveLength(1);
    },
  );

  test.each([
    ['a 503', () => new Response('busy', { status: 503 })],
    ['a 429', () => new Response('slow down', { status: 429 })],
    [
      'a network error',
      () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
    ],
  ])('when the URL answers %s, then get throws and the next request fetches again', async (_what, answer) => {
    let calls = 0;
    const network = fakeFetch(() => (++calls === 1 ? answer() : pem()));
    const certificates = createSigningCertificates({ fetch: network.fetch, now: () => during });
    await expect(certificates.get(TEST_CERT_URL)).rejects.toThrow();
    expect(await certificates.get(TEST_CERT_URL)).toBe(TEST_SNS_CERTIFICATE);
    expect(network.requested).toHaveLength(2);
  });

  test('when the error is thrown, then it does not quote the URL', async () => {
    const network = fakeFetch(() => Promise.reject(new TypeError(`fetch failed for ${TEST_CERT_URL}`)));
    const certificates = createSigningCertificates({ fetch: network.fetch, now: () => during });
    const error = await certificates.get(TEST_CERT_URL).catch((e: unknown) => e as Error);
    expect((error as Error).message).not.toContain('amazonaws');
  });
});

describe('usableCertificate', () => {
  test('when the certificate is valid at that time, then it is kept; before or after its validity, not', () => {
    expect(usableCertificate(TEST_SNS_CERTIFICATE, during)).toBe(TEST_SNS_CERTIFICATE);
    expect(usableCertificate(TEST_SNS_CERTIFICATE, new Date(validFrom.getTime() - 1000))).toBeNull();
    expect(usableCertificate(TEST_SNS_CERTIFICATE, new Date(validTo.getTime() + 1000))).toBeNull();
  });
});
