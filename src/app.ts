/** The express app, without listen(): routes, middleware and error handling, with dependencies passed in. */
import express, { type Express } from 'express';
import type { Config } from '../config';
import { UnauthorizedError } from './errors';
import { bearerToken, secretsMatch } from './http/auth';
import { alertLogRouter } from './http/alert-log.router';
import { errorHandler, notFoundHandler } from './http/errors';
import { healthRouter } from './http/health.router';
import { incidentsRouter } from './http/incidents.router';
import { requestContext, securityHeaders } from './http/request-context';
import { webhooksRouter } from './http/webhooks.router';
import type { Logger } from './logger';
import type { AlertPublisher } from './queue/alert-publisher';
import type { AlertLogQueries, IncidentStore } from './use-cases/ports';

export interface AppDeps {
  config: Pick<
    Config,
    'webhookTokens' | 'apiToken' | 'bodyLimitBytes' | 'serviceTagKeys' | 'hostTagKeys' | 'publicUrl'
  >;
  logger: Logger;
  publisher: AlertPublisher;
  incidents: IncidentStore;
  alertLog: AlertLogQueries;
  readiness: Record<string, () => Promise<boolean>>;
  now?: () => Date;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(requestContext(deps.logger));
  app.use(healthRouter({ checks: deps.readiness }));
  app.use(
    '/webhooks',
    webhooksRouter({ config: deps.config, publisher: deps.publisher, now: deps.now ?? (() => new Date()) }),
  );
  app.use('/api', (req, _res, next) => {
    const token = bearerToken(req);
    if (token === null || !secretsMatch(token, deps.config.apiToken)) throw new UnauthorizedError();
    next();
  });
  app.use('/api/incidents', incidentsRouter({ incidents: deps.incidents, publicUrl: deps.config.publicUrl }));
  app.use('/api/alert-log', alertLogRouter({ alertLog: deps.alertLog }));
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
