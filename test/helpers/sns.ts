/**
 * Amazon SNS without Amazon: the test-only hook the README names. `startSnsStandIn()` is a local HTTP server
 * playing sns.<region>.amazonaws.com (it serves the test certificate at any `.pem` path and records
 * subscription confirmations), and its `fetch` is what the API and the workers are given instead of the global
 * one (startPipeline's `fetch`): it sends Amazon SNS's URLs to the stand-in, and refuses every other URL, so a
 * test also proves that nothing else is fetched. `signSns` signs a message with the test key
 * (test/fixtures/cloudwatch-keys), as SNS signs with its own.
 */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Fetch } from '../../src/clients/bounded-fetch';
import { readSnsMessage, snsStringToSign } from '../../src/sources/cloudwatch/sns.message';

const KEYS = path.join(__dirname, '..', 'fixtures', 'cloudwatch-keys');
export const TEST_SNS_KEY = readFileSync(path.join(KEYS, 'k.pem'), 'utf8');
export const TEST_SNS_CERTIFICATE = readFileSync(path.join(KEYS, 'c.pem'), 'utf8');
export const TEST_CERT_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem';

const AMAZON_SNS = /^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(\/|$)/;

/** `body` with SignatureVersion, Signature and SigningCertURL set, signed as SNS signs (sns.message.ts). */
export function signSns(
  body: Record<string, unknown>,
  options: { version?: '1' | '2'; key?: string; certUrl?: string } = {},
): Record<string, unknown> {
  const version = options.version ?? '1';
  const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  signer.update(snsStringToSign(readSnsMessage(body)), 'utf8');
  return {
    ...body,
    SignatureVersion: version,
    Signature: signer.sign(options.key ?? TEST_SNS_KEY, 'base64'),
    SigningCertURL: options.certUrl ?? TEST_CERT_URL,
  };
}

export interface SnsStandIn {
  /** Sends https://sns.<region>.amazonaws.com(.cn)/… to the stand-in; throws for any other URL. */
  fetch: Fetch;
  /** Paths of the certificates asked for, in order. */
  certificateRequests: string[];
  /** The query strings of the subscription confirmations received, in order. */
  confirmations: URLSearchParams[];
  /** URLs the fetch refused (any that is not Amazon SNS's). */
  refused: string[];
  /** What the next answers are: the certificate (PEM) served, and the status of certificate and confirmation answers. */
  answer: { certificate: string; certificateStatus: number; confirmationStatus: number };
  close(): Promise<void>;
}

export async function startSnsStandIn(): Promise<SnsStandIn> {
  const standIn: Omit<SnsStandIn, 'fetch' | 'close'> = {
    certificateRequests: [],
    confirmations: [],
    refused: [],
    answer: { certificate: TEST_SNS_CERTIFICATE, certificateStatus: 200, confirmationStatus: 200 },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.endsWith('.pem')) {
      standIn.certificateRequests.push(url.pathname);
      res.writeHead(standIn.answer.certificateStatus, { 'Content-Type': 'application/x-pem-file' });
      res.end(standIn.answer.certificateStatus === 200 ? standIn.answer.certificate : 'no');
      return;
    }
    if (url.searchParams.get('Action') === 'ConfirmSubscription') {
      standIn.confirmations.push(url.searchParams);
      res.writeHead(standIn.answer.confirmationStatus, { 'Content-Type': 'text/xml' });
      res.end('<ConfirmSubscriptionResponse><ConfirmSubscriptionResult/></ConfirmSubscriptionResponse>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetchToStandIn: Fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (!AMAZON_SNS.test(url)) {
      standIn.refused.push(url);
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'TEST_REFUSED' } }));
    }
    const { pathname, search } = new URL(url);
    return fetch(`${origin}${pathname}${search}`, init);
  };
  return {
    ...standIn,
    fetch: fetchToStandIn,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
