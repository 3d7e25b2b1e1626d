/**
 * The whole pipeline on real servers for one test file: its own MongoDB-wire database, its own BullMQ prefix
 * on the test Redis, the express app (driven with supertest) and in-process workers.
 */
import { Queue, QueueEvents } from 'bullmq';
import { createRedisSessionStore } from '../../src/web/auth/session-store.redis';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig, type Config } from '../../config';
import { createApp } from '../../src/app';
import { createRateLimiter } from '../../src/http/rate-limit';
import { createLogger, type Logger } from '../../src/logger';
import { createRepositories, prepareDatabase, type Repositories } from '../../src/persistence';
import { connectMongo, pingMongo } from '../../src/persistence/connection';
import type { Fetch } from '../../src/clients/bounded-fetch';
import { createSigningCertificates } from '../../src/clients/signing-certificates';
import { createAlertPublisher, type AlertPublisher } from '../../src/queue/alert-publisher';
import { createEnrichmentPublisher } from '../../src/queue/enrichment-publisher';
import { createFailedAlerts } from '../../src/queue/failed-alerts';
import { createHandshakePublisher } from '../../src/queue/handshake-publisher';
import {
  createNotificationPublisher,
  type NotificationPublisher,
} from '../../src/queue/notification-publisher';
import { createProducerConnection, pingRedis } from '../../src/queue/connections';
import { QUEUES, alertsCarried, type AlertBatchJob } from '../../src/queue/jobs';
import { startWorkers, type RunningWorkers } from '../../workers/worker';
import { dropTestDatabase, testMongoUri, testRedisUrl, uniqueName } from './servers';
import { routingRulesFrom } from '../../src/use-cases/rules';

export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789';
export const API_TOKEN = 'test-api-token-0123456789abcdef';

export interface Pipeline {
  config: Readonly<Config>;
  app: Express;
  mongo: Connection;
  repositories: Repositories;
  publisher: AlertPublisher;
  queue: Queue;
  /**
   * Every alerts job this pipeline's API queued, by id, as it queued it: a completed job is removed from Redis
   * at once, so tests that copy a job (a redelivery) or count what was queued read it here.
   */
  queuedJobs: Map<string, AlertBatchJob>;
  /** How many alerts each completed alerts job carried, by job id (from the queue's events, as they arrive). */
  completedJobs: Map<string, number>;
  /** The ids of alerts jobs BullMQ found stalled (their worker died or hung). */
  stalledJobs: Set<string>;
  /** The `postmortems` queue (drafts and the daily reminder). */
  postmortemQueue: Queue;
  /** The `notifications` queue, and a publisher on it (for scheduleNotification's deps). */
  notificationQueue: Queue;
  notifications: NotificationPublisher;
  logLines: string[];
  logger: Logger;
  workers: RunningWorkers[];
  /** Starts one more in-process worker on the same queue. */
  addWorker(): Promise<RunningWorkers>;
  /** Resolves once every queue (alerts, postmortems, notifications, handshakes, enrichment) has nothing waiting, active or delayed. */
  drain(timeoutMs?: number): Promise<void>;
  postDatadog(payload: unknown): request.Test;
  api(path: string): request.Test;
  close(): Promise<void>;
}

export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: testMongoUri('hs'),
    WEBHOOK_TOKEN,
    API_TOKEN,
    QUEUE_PREFIX: uniqueName('hsq'),
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: '8',
    WORKER_LOCK_MS: '2000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Never a developer's own config/targets.json: tests that notify name their local receivers.
    NOTIFY_TARGETS_FILE: path.resolve(__dirname, '..', 'fixtures', 'notify', 'no-targets.json'),
    // Nor a developer's own config/generic/: the pipeline serves the example mapping, generic/example-ci.
    GENERIC_MAPPINGS_DIR: path.resolve(__dirname, '..', '..', 'config', 'generic-examples'),
    ...overrides,
  };
}

export async function startPipeline(
  options: {
    env?: Record<string, string>;
    workers?: number;
    /**
     * The API's and workers' outbound fetch (test/helpers/sns.ts sends Amazon's hosts to a local server); by
     * default every URL is refused, so no test ever reaches outside the machine.
     */
    fetch?: Fetch;
    /** Told of every database command the pipeline's workers send. */
    onWorkerCommand?: (name: string, bytes: number) => void;
  } = {},
): Promise<Pipeline> {
  const config = loadConfig(testEnv(options.env));
  const outboundFetch = options.fetch ?? refusingFetch;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const mongo = await connectMongo(config.mongodbUri);
  await prepareDatabase(mongo);
  const repositories = createRepositories(mongo, routingRulesFrom(config));
  const redis = createProducerConnection(config.redisUrl);
  redis.on('error', () => undefined);
  const queuedJobs = new Map<string, AlertBatchJob>();
  const publisher = createAlertPublisher(redis, config.queuePrefix, {
    onQueued: (jobId, data) => queuedJobs.set(jobId, data),
  });
  const handshakes = createHandshakePublisher(redis, config.queuePrefix);
  const failedAlerts = createFailedAlerts(redis, config.queuePrefix);
  /** A queue of this pipeline's, as a test reads it (its own connection). */
  const queueOf = (name: string) =>
    new Queue(name, { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
  const queue = queueOf(QUEUES.alerts);
  const alertEvents = new QueueEvents(QUEUES.alerts, {
    connection: { url: config.redisUrl },
    prefix: config.queuePrefix,
  });
  const completedJobs = new Map<string, number>();
  alertEvents.on('completed', ({ jobId, returnvalue }) => {
    const result = returnvalue as unknown as Record<string, number> | null;
    completedJobs.set(
      jobId,
      Object.values(result ?? {}).reduce((a, b) => a + b, 0),
    );
  });
  const stalledJobs = new Set<string>();
  alertEvents.on('stalled', ({ jobId }) => stalledJobs.add(jobId));
  await alertEvents.waitUntilReady();
  const postmortemQueue = queueOf(QUEUES.postmortems);
  const notificationQueue = queueOf(QUEUES.notifications);
  const handshakeQueue = queueOf(QUEUES.handshakes);
  const enrichmentQueue = queueOf(QUEUES.enrichment);
  // DD_EXPORT_NOTEBOOKS: the API queues a publication's notebook export, as src/server.ts does.
  const notebooks =
    config.datadog?.exportNotebooks === true ? createEnrichmentPublisher(redis, config.queuePrefix) : null;
  const notifications = createNotificationPublisher(redis, config.queuePrefix, {
    attempts: config.notifyAttempts,
    backoffMs: config.notifyBackoffMs,
  });
  const app = createApp({
    config,
    logger,
    publisher,
    handshakes,
    signingCertificates: createSigningCertificates({ fetch: outboundFetch }),
    rateLimiter: createRateLimiter(redis, config, logger),
    incidents: repositories.incidents,
    alertLog: repositories.alertLog,
    failedAlerts,
    deliveries: repositories.deliveries,
    postmortems: repositories.postmortems,
    actionItems: repositories.actionItems,
    enrichments: repositories.enrichments,
    readiness: { redis: () => pingRedis(redis), mongodb: () => pingMongo(mongo) },
    sessions: createRedisSessionStore(redis, config.queuePrefix),
    shareLinks: repositories.shareLinks,
    ...(notebooks === null ? {} : { notebooks }),
  });
  const workers: RunningWorkers[] = [];
  const addWorker = async () => {
    const running = await startWorkers(config, logger, {
      fetch: outboundFetch,
      ...(options.onWorkerCommand === undefined ? {} : { onCommand: options.onWorkerCommand }),
    });
    workers.push(running);
    return running;
  };
  for (let i = 0; i < (options.workers ?? 1); i += 1) await addWorker();

  return {
    config,
    app,
    mongo,
    repositories,
    publisher,
    queue,
    queuedJobs,
    completedJobs,
    stalledJobs,
    postmortemQueue,
    notificationQueue,
    notifications,
    logLines,
    logger,
    workers,
    addWorker,
    async drain(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await Promise.all(
          [queue, postmortemQueue, notificationQueue, handshakeQueue, enrichmentQueue].map(pendingJobs),
        );
        if (counts.every((n) => n === 0)) return;
        if (Date.now() > deadline)
          throw new Error(
            `queues not drained: alerts, postmortems, notifications, handshakes, enrichment ${counts.join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    postDatadog(payload: unknown) {
      return request(app)
        .post('/webhooks/datadog')
        .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
        .set('Content-Type', 'application/json')
        .send(typeof payload === 'string' ? payload : JSON.stringify(payload));
    },
    api(path: string) {
      return request(app).get(path).set('Authorization', `Bearer ${API_TOKEN}`);
    },
    async close() {
      for (const worker of workers) await worker.close();
      // After Redis restarted under it, QueueEvents' close (and disconnect) can wait forever on its blocked
      // read: it is given 2 s, then dropped.
      const closed = alertEvents.close();
      const timer = new Promise((r) => setTimeout(r, 2_000).unref());
      if ((await Promise.race([closed.then(() => 'closed'), timer])) !== 'closed')
        void alertEvents.disconnect().catch(() => undefined);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await notificationQueue.obliterate({ force: true }).catch(() => undefined);
      await notificationQueue.close();
      await postmortemQueue.obliterate({ force: true }).catch(() => undefined);
      await postmortemQueue.close();
      await handshakeQueue.obliterate({ force: true }).catch(() => undefined);
      await handshakeQueue.close();
      await enrichmentQueue.obliterate({ force: true }).catch(() => undefined);
      await enrichmentQueue.close();
      await handshakes.close();
      await failedAlerts.close();
      await notebooks?.close();
      await notifications.close();
      await publisher.close();
      redis.disconnect();
      await dropTestDatabase(config.mongodbUri).catch(() => undefined);
      await mongo.close();
    },
  };
}

/** The outbound fetch of a pipeline given none: nothing outside the machine is ever reached from a test. */
const refusingFetch: Fetch = () =>
  Promise.reject(new TypeError('fetch failed', { cause: { code: 'TEST_REFUSED' } }));

/**
 * Jobs still to run, read in one atomic call (two reads could each miss a job moving between states). A job
 * scheduler always keeps one delayed job for its next run (the daily reminder's): those do not count.
 */
async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total - (await queue.getJobSchedulersCount());
}

/** The alerts this pipeline's API queued so far (completed jobs included, though Redis removed them). */
export function queuedAlerts(p: Pick<Pipeline, 'queuedJobs'>): number {
  return alertsCarried([...p.queuedJobs.values()].map((data) => ({ data })));
}

/**
 * The alerts of every completed alerts job, once the queue's events have settled (no new completion for
 * 300 ms, 10 s at most): each job counts once, however often a worker ran it.
 */
export async function completedAlerts(p: Pick<Pipeline, 'completedJobs'>): Promise<number> {
  const deadline = Date.now() + 10_000;
  let seen = -1;
  while (Date.now() < deadline && p.completedJobs.size !== seen) {
    seen = p.completedJobs.size;
    await new Promise((r) => setTimeout(r, 300));
  }
  return [...p.completedJobs.values()].reduce((a, b) => a + b, 0);
}

let eventCounter = 0;

/** A Datadog custom-template payload, as the README's template renders it. */
export function datadogPayload(fields: {
  transition: string;
  monitorId?: string;
  scope?: string;
  at: string;
  id?: string;
  title?: string;
  tags?: string;
  priority?: string;
  cycleKey?: string;
}): Record<string, string> {
  eventCounter += 1;
  const monitorId = fields.monitorId ?? '1001';
  return {
    id: fields.id ?? `${Date.now()}${String(eventCounter).padStart(6, '0')}`,
    alert_transition: fields.transition,
    alert_id: monitorId,
    alert_title: fields.title ?? 'High error rate on web',
    alert_scope: fields.scope ?? 'host:web-1',
    alert_priority: fields.priority ?? 'P2',
    alert_cycle_key: fields.cycleKey ?? '$ALERT_CYCLE_KEY',
    date: String(Date.parse(fields.at)),
    last_updated: String(Date.parse(fields.at)),
    tags: fields.tags ?? `service:web,env:prod,${fields.scope ?? 'host:web-1'}`,
    hostname: (fields.scope ?? 'host:web-1').replace(/^host:/, ''),
    link: `https://app.datadoghq.com/monitors/${monitorId}`,
    event_title: `[${fields.transition} on {${fields.scope ?? 'host:web-1'}}] ${fields.title ?? 'High error rate on web'}`,
    event_msg: 'Error rate above 5% for 5 minutes',
    event_type: 'query_alert_monitor',
    org_id: '1',
    org_name: 'Acme',
  };
}
