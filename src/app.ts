/** The express app, without listen(): routes, middleware and error handling, with dependencies passed in. */
import express, { type Express } from 'express';
import type { Config } from '../config';
import type { SigningCertificates } from './clients/signing-certificates';
import { UnauthorizedError } from './errors';
import { bearerToken, secretMatcher } from './http/auth';
import { actionItemsRouter } from './http/action-items.router';
import { alertLogRouter } from './http/alert-log.router';
import { deliveriesRouter } from './http/deliveries.router';
import { errorHandler, notFoundHandler } from './http/errors';
import { healthRouter } from './http/health.router';
import { incidentAnnotationsRouter } from './http/incident-annotations.router';
import { incidentsRouter } from './http/incidents.router';
import { insightsRouter } from './http/insights.router';
import { postmortemsRouter } from './http/postmortems.router';
import type { EnrichmentPublisher } from './queue/enrichment-publisher';
import type { ExportNotebookJob } from './queue/jobs';
import type { RateLimiter } from './http/rate-limit';
import { requestContext, securityHeaders } from './http/request-context';
import { webhookRoutes } from './http/webhook.route';
import type { Logger } from './logger';
import type { AlertPublisher } from './queue/alert-publisher';
import type { HandshakePublisher } from './queue/handshake-publisher';
import type { DeliveryStore } from './use-cases/notify';
import type {
  ActionItemStore,
  AlertLogQueries,
  EnrichmentStore,
  IncidentStore,
  PostmortemStore,
  SessionStore,
  ShareLinkStore,
} from './use-cases/ports';
import { webRouter } from './web/web.router';
import type { FailedAlerts } from './queue/failed-alerts';

export interface AppDeps {
  config: Pick<
    Config,
    | 'webhookSources'
    | 'webhookTokens'
    | 'webhookSecrets'
    | 'signatureToleranceSeconds'
    | 'sourceSettings'
    | 'apiToken'
    | 'bodyLimitBytes'
    | 'serviceTagKeys'
    | 'hostTagKeys'
    | 'publicUrl'
    | 'displayTimezone'
    | 'ui'
  >;
  logger: Logger;
  publisher: AlertPublisher;
  /** Where sources' handshakes (SNS subscription confirmations) are queued. */
  handshakes: HandshakePublisher;
  /** Signing certificates of the sources that sign with one (createSigningCertificates). */
  signingCertificates: SigningCertificates;
  /** Per-source webhook budgets (createRateLimiter). */
  rateLimiter: RateLimiter;
  incidents: IncidentStore;
  alertLog: AlertLogQueries;
  /** Alert batches in the queue's failed set, to list and re-drive (createFailedAlerts). */
  failedAlerts: FailedAlerts;
  postmortems: PostmortemStore;
  actionItems: ActionItemStore;
  deliveries: Pick<DeliveryStore, 'listByIncident'>;
  /** What Datadog's API added to incidents (Datadog enrichment): shown on the incident and in its draft. */
  enrichments: Pick<EnrichmentStore, 'find'>;
  readiness: Record<string, () => Promise<boolean>>;
  /** The browser UI's sessions (createRedisSessionStore). */
  sessions: SessionStore;
  /** Read-only links to published postmortems. */
  shareLinks: ShareLinkStore;
  now?: () => Date;
  /** DD_EXPORT_NOTEBOOKS: where a publication's notebook export is queued (the worker makes it). */
  notebooks?: Pick<EnrichmentPublisher, 'queueNotebook'>;
}

export function createApp(deps: AppDeps): Express {
  const now = deps.now ?? (() => new Date());
  const people = {
    incidents: deps.incidents,
    enrichments: deps.enrichments,
    postmortems: deps.postmortems,
    actionItems: deps.actionItems,
    timezone: deps.config.displayTimezone,
    publicUrl: deps.config.publicUrl,
    now,
    ...(deps.notebooks === undefined
      ? {}
      : { beforePublish: (job: ExportNotebookJob) => deps.notebooks!.queueNotebook(job) }),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Every response is Cache-Control: no-store, so express's body-hash ETags would only cost a hash per response;
  // the ETags this API sends are versions, for If-Match (src/http/versions.ts).
  app.set('etag', false);
  // First: monitors' webhooks, the hot path, carry their own share of the middleware below.
  const webhooks = webhookRoutes({
    config: deps.config,
    publisher: deps.publisher,
    handshakes: deps.handshakes,
    signingCertificates: deps.signingCertificates,
    rateLimiter: deps.rateLimiter,
    logger: deps.logger,
    now,
  });
  for (const route of webhooks) app.post(route.path, ...route.handlers);
  app.use(securityHeaders);
  app.use(requestContext(deps.logger));
  app.use(healthRouter({ checks: deps.readiness }));
  app.use(
    webRouter({
      ui: deps.config.ui,
      publicUrl: deps.config.publicUrl,
      timezone: deps.config.displayTimezone,
      sources: deps.config.webhookSources.map((source) => source.name),
      sessions: deps.sessions,
      shareLinks: deps.shareLinks,
      logger: deps.logger,
      now,
      people,
    }),
  );
  const apiTokenMatches = secretMatcher(deps.config.apiToken);
  app.use('/api', (req, _res, next) => {
    const token = bearerToken(req);
    if (token === null || !apiTokenMatches(token)) throw new UnauthorizedError();
    next();
  });
  app.use(
    '/api/incidents',
    incidentsRouter({
      incidents: deps.incidents,
      enrichments: deps.enrichments,
      publicUrl: deps.config.publicUrl,
    }),
  );
  app.use('/api/incidents', deliveriesRouter({ deliveries: deps.deliveries, incidents: deps.incidents }));
  app.use('/api/incidents/:id', postmortemsRouter(people));
  app.use('/api/incidents/:id', incidentAnnotationsRouter(people));
  app.use('/api/action-items', actionItemsRouter(people));
  app.use('/api/alert-log', alertLogRouter({ alertLog: deps.alertLog, failedAlerts: deps.failedAlerts }));
  // At /api, not /api/insights: the router serves /insights and /insights.csv (express would not match the latter).
  app.use('/api', insightsRouter(people));
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
