import express, { Router } from 'express';
import { SOURCE_NAMES, type Config, type SourceName } from '../../config';
import { UnauthorizedError } from '../errors';
import type { Logger } from '../logger';
import type { AlertPublisher } from '../queue/alert-publisher';
import { SOURCE_ADAPTERS } from '../sources';
import { secretsMatch, webhookToken } from './auth';
import { rateLimit, type RateLimiter } from './rate-limit';
import { parseWebhookBody } from './webhook-body';

export interface WebhooksDeps {
  config: Pick<Config, 'webhookTokens' | 'bodyLimitBytes' | 'serviceTagKeys' | 'hostTagKeys'>;
  publisher: AlertPublisher;
  /** Each source's budget (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST), taken after authentication. */
  rateLimiter: RateLimiter;
  logger: Logger;
  now: () => Date;
}

/**
 * `POST /webhooks/<source>`: authenticate, take one from the source's budget (429 over it), parse, queue,
 * answer. 202 only once Redis has the jobs; MongoDB is never touched here, so the route's speed and
 * availability depend on Redis alone.
 */
export function webhooksRouter(deps: WebhooksDeps): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: deps.config.bodyLimitBytes });

  for (const source of SOURCE_NAMES) {
    const limit = rateLimit(deps.rateLimiter, source, deps.logger);
    router.post(`/${source}`, authenticate(deps, source), limit, rawBody, async (req, res) => {
      const receivedAt = deps.now();
      const body = parseWebhookBody(req.body, req.get('content-type'));
      const alerts = SOURCE_ADAPTERS[source](body.value, {
        receivedAt,
        rawBody: body.raw,
        serviceTagKeys: deps.config.serviceTagKeys,
        hostTagKeys: deps.config.hostTagKeys,
      });
      const accepted = await deps.publisher.publish(alerts, {
        receivedAt,
        contentType: body.contentType,
        raw: body.raw,
      });
      res.status(202).json({
        accepted: accepted.map((a, i) => ({ ...a, test: alerts[i]?.isTest ?? false })),
      });
    });
  }
  return router;
}

function authenticate(deps: WebhooksDeps, source: SourceName): express.RequestHandler {
  return (req, _res, next) => {
    const token = webhookToken(req);
    if (token === null || !secretsMatch(token, deps.config.webhookTokens[source]))
      throw new UnauthorizedError();
    next();
  };
}
