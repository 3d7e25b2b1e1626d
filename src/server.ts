/** The API process: config -> connections -> listen; close() stops accepting, then closes connections. */
import http, { type Server } from 'node:http';
import { createRedisSessionStore } from './web/auth/session-store.redis';
import type { Connection } from 'mongoose';
import type { Config, HttpServerConfig } from '../config';
import { createApp } from './app';
import { createSigningCertificates } from './clients/signing-certificates';
import { createRateLimiter } from './http/rate-limit';
import type { Logger } from './logger';
import { createRepositories, prepareDatabase } from './persistence';
import { connectMongo, pingMongo } from './persistence/connection';
import { createAlertPublisher } from './queue/alert-publisher';
import { createEnrichmentPublisher } from './queue/enrichment-publisher';
import { createFailedAlerts } from './queue/failed-alerts';
import { createHandshakePublisher } from './queue/handshake-publisher';
import { createProducerConnection, pingRedis } from './queue/connections';
import { routingRulesFrom } from './use-cases/rules';

export interface RunningApi {
  server: Server;
  port: number;
  mongo: Connection;
  close(): Promise<void>;
}

export async function startApi(config: Readonly<Config>, logger: Logger): Promise<RunningApi> {
  const redis = createProducerConnection(config.redisUrl);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const mongo = await connectMongo(config.mongodbUri);
  await prepareDatabase(mongo);
  const { incidents, alertLog, deliveries, postmortems, actionItems, enrichments, shareLinks } =
    createRepositories(mongo, routingRulesFrom(config));
  const publisher = createAlertPublisher(redis, config.queuePrefix);
  const handshakes = createHandshakePublisher(redis, config.queuePrefix);
  const failedAlerts = createFailedAlerts(redis, config.queuePrefix);
  // DD_EXPORT_NOTEBOOKS: a publication queues its notebook export; the worker, never this process, calls Datadog.
  const notebooks =
    config.datadog?.exportNotebooks === true ? createEnrichmentPublisher(redis, config.queuePrefix) : null;
  const app = createApp({
    config,
    logger,
    publisher,
    handshakes,
    signingCertificates: createSigningCertificates(),
    rateLimiter: createRateLimiter(redis, config, logger),
    incidents,
    alertLog,
    failedAlerts,
    deliveries,
    postmortems,
    actionItems,
    enrichments,
    readiness: { redis: () => pingRedis(redis), mongodb: () => pingMongo(mongo) },
    sessions: createRedisSessionStore(redis, config.queuePrefix),
    shareLinks: shareLinks,
    ...(notebooks === null ? {} : { notebooks }),
  });

  const server = createHttpServer(app, config.httpServer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ port }, 'api listening');

  return {
    server,
    port,
    mongo,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await publisher.close();
      await handshakes.close();
      await failedAlerts.close();
      await notebooks?.close();
      redis.disconnect();
      await mongo.close();
    },
  };
}

/**
 * The HTTP server, with its limits on slow clients (HTTP_* in config/http-server.ts). A request must arrive
 * whole within its timeouts, counted from its first byte: a client that dribbles headers or a body is answered
 * 408 and cut off, checked every connectionsCheckingIntervalMs. The idle time between two requests of a
 * keep-alive connection counts against neither: only keepAliveTimeout bounds it.
 */
export function createHttpServer(app: http.RequestListener, settings: HttpServerConfig): Server {
  const server = http.createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      connectionsCheckingInterval: settings.connectionsCheckingIntervalMs,
    },
    app,
  );
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.maxConnections = settings.maxConnections;
  return server;
}
