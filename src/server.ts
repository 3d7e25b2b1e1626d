/** The API process: config -> connections -> listen; close() stops accepting, then closes connections. */
import type { Server } from 'node:http';
import { createRedisSessionStore } from './web/auth/session-store.redis';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { createApp } from './app';
import { createSigningCertificates } from './clients/signing-certificates';
import { createRateLimiter } from './http/rate-limit';
import type { Logger } from './logger';
import { createRepositories, ensureIndexes } from './persistence';
import { connectMongo, pingMongo } from './persistence/connection';
import { createAlertPublisher } from './queue/alert-publisher';
import { createEnrichmentPublisher } from './queue/enrichment-publisher';
import { createHandshakePublisher } from './queue/handshake-publisher';
import { createProducerConnection, pingRedis } from './queue/connections';

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
  await ensureIndexes(mongo);
  const { incidents, alertLog, deliveries, postmortems, actionItems, enrichments, shareLinks } =
    createRepositories(mongo);
  const publisher = createAlertPublisher(redis, config.queuePrefix);
  const handshakes = createHandshakePublisher(redis, config.queuePrefix);
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
    deliveries,
    postmortems,
    actionItems,
    enrichments,
    readiness: { redis: () => pingRedis(redis), mongodb: () => pingMongo(mongo) },
    sessions: createRedisSessionStore(redis, config.queuePrefix),
    shareLinks: shareLinks,
    ...(notebooks === null ? {} : { notebooks }),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  // Behind a load balancer, idle keep-alive sockets must outlive its own timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
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
      await notebooks?.close();
      redis.disconnect();
      await mongo.close();
    },
  };
}
