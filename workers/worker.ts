import { Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { NotificationEvent, NotificationMessage } from '../src/domain/notification-messages';
import type { Fetch } from '../src/clients/bounded-fetch';
import { createHandshakeVisitor } from '../src/clients/handshake-visitor';
import { createDatadogApi } from '../src/enrichment/datadog.client';
import { createMonitorCache } from '../src/enrichment/monitor-cache';
import type { Logger } from '../src/logger';
import { createRepositories, prepareDatabase } from '../src/persistence';
import { connectMongo } from '../src/persistence/connection';
import { IncidentRepository } from '../src/persistence/incident.repository';
import { alertBackoffStrategy } from '../src/queue/alert-retries';
import { createWorkerConnection } from '../src/queue/connections';
import { JOBS, QUEUES } from '../src/queue/jobs';
import { createNotificationPublisher } from '../src/queue/notification-publisher';
import { createEnrichmentPublisher } from '../src/queue/enrichment-publisher';
import { createPostmortemPublisher } from '../src/queue/postmortem-publisher';
import { draftFirstPostmortems, type ResolutionEnrichmentJob } from '../src/use-cases/draft-postmortem';
import { scheduleNotification, subscribersOf } from '../src/use-cases/notify';
import { SOURCES } from '../src/sources';
import { routingRulesFrom } from '../src/use-cases/rules';
import { actionItemsReminderProcessor } from './action-items-reminder.processor';
import { alertIngestProcessor } from './alert-ingest.processor';
import { notificationDeliverProcessor } from './notification-deliver.processor';
import { postmortemDraftProcessor } from './postmortem-draft.processor';
import { enrichmentProcessors } from './enrichment.processor';
import { sourceHandshakeProcessor } from './source-handshake.processor';

export interface RunningWorkers {
  mongo: Connection;
  /** Stops taking jobs, lets running ones finish (up to the timeout), then closes connections. */
  close(): Promise<void>;
}

export type WorkerConfig = Pick<
  Config,
  | 'redisUrl'
  | 'mongodbUri'
  | 'queuePrefix'
  | 'workerConcurrency'
  | 'openingTransitions'
  | 'reopenWindowSeconds'
  | 'shutdownTimeoutMs'
  | 'workerLockMs'
  | 'alertRetry'
  | 'notifyTargets'
  | 'notifyTimeoutMs'
  | 'notifyAttempts'
  | 'notifyBackoffMs'
  | 'displayTimezone'
  | 'publicUrl'
  | 'actionItemsReminderCron'
  | 'datadog'
>;

/**
 * One process's workers: alerts (ingestion), postmortems (drafts and the daily reminder), notifications
 * (deliveries to ops' targets) and handshakes (SNS subscription confirmations), each on its own queue so that
 * a slow target never holds up ingestion.
 */
/** How a worker reaches outside servers; tests pass a fetch that sends Amazon's hosts to a local server. */
export interface WorkerOutbound {
  fetch?: Fetch;
  /** Told of every database command the workers send (the bench's commands per alert). */
  onCommand?: (name: string, bytes: number) => void;
}

export async function startWorkers(
  config: WorkerConfig,
  logger: Logger,
  outbound: WorkerOutbound = {},
): Promise<RunningWorkers> {
  const mongo = await connectMongo(config.mongodbUri, {
    maxPoolSize: Math.max(10, config.workerConcurrency * 2),
    ...(outbound.onCommand === undefined ? {} : { onCommand: outbound.onCommand }),
  });
  logger.info('connected to MongoDB');
  await prepareDatabase(mongo);
  logger.info('indexes ready');
  const repositories = createRepositories(mongo, routingRulesFrom(config));
  const connection = createWorkerConnection(config.redisUrl);
  const notifications = createNotificationPublisher(connection, config.queuePrefix, {
    attempts: config.notifyAttempts,
    backoffMs: config.notifyBackoffMs,
  });
  const postmortems = createPostmortemPublisher(connection, config.queuePrefix);
  const enrichment =
    config.datadog === null ? null : createEnrichmentPublisher(connection, config.queuePrefix);
  const now = () => new Date();
  const notify = (message: NotificationMessage, revision: number) =>
    scheduleNotification(
      { targets: config.notifyTargets, deliveries: repositories.deliveries, queue: notifications, now },
      message,
      revision,
    );
  const common = {
    incidents: repositories.incidents,
    postmortems: repositories.postmortems,
    actionItems: repositories.actionItems,
    enrichments: repositories.enrichments,
    timezone: config.displayTimezone,
    publicUrl: config.publicUrl,
    now,
    notify,
    subscribed: (event: NotificationEvent) => subscribersOf(config.notifyTargets, event).length > 0,
    // Datadog enrichment of a resolved Datadog incident, queued by its draft job once the draft is written.
    ...(enrichment === null
      ? {}
      : {
          queueResolutionEnrichment: async (job: ResolutionEnrichmentJob) => {
            const { incidentId, resolutionCount } = job;
            for (const monitorId of job.monitorIds)
              await enrichment.queueMetric({ incidentId, resolutionCount, monitorId });
            await enrichment.queueChanges({ incidentId, resolutionCount });
          },
        }),
  };

  const workers = [
    startQueueWorker(
      QUEUES.alerts,
      alertIngestProcessor(
        {
          incidents: repositories.incidents,
          alertLog: repositories.alertLog,
          rules: routingRulesFrom(config),
          newIncidentId: () => IncidentRepository.newId(),
          now,
        },
        {
          ...common,
          queueDraft: (job) => postmortems.queueDraft(job),
          draftFirst: (incidents) => draftFirstPostmortems(common, incidents),
          ...(enrichment === null ? {} : { queueMonitorEnrichment: (job) => enrichment.queueMonitor(job) }),
        },
        logger.child({ queue: QUEUES.alerts }),
      ),
      connection,
      config,
      logger,
    ),
    startQueueWorker(
      QUEUES.postmortems,
      byJobName({
        [JOBS.postmortemDraft]: postmortemDraftProcessor(common, logger.child({ queue: QUEUES.postmortems })),
        [JOBS.actionItemsRemind]: actionItemsReminderProcessor(
          common,
          logger.child({ queue: QUEUES.postmortems }),
        ),
      }),
      connection,
      config,
      logger,
    ),
    startQueueWorker(
      QUEUES.notifications,
      notificationDeliverProcessor(
        {
          deliveries: repositories.deliveries,
          targets: config.notifyTargets,
          timeoutMs: config.notifyTimeoutMs,
          now,
        },
        logger.child({ queue: QUEUES.notifications }),
      ),
      connection,
      config,
      logger,
    ),
  ];
  if (config.datadog !== null)
    workers.push(
      startQueueWorker(
        QUEUES.enrichment,
        byJobName(
          enrichmentProcessors(
            {
              // The client (and @datadog/datadog-api-client) is loaded on the first call, in the worker only.
              datadog: createDatadogApi(config.datadog.api),
              enrichments: repositories.enrichments,
              incidents: repositories.incidents,
              postmortems: repositories.postmortems,
              actionItems: repositories.actionItems,
              monitors: createMonitorCache(),
              queueDraft: (job) => postmortems.queueDraft(job),
              now,
              changeWindowMinutes: config.datadog.changeWindowMinutes,
              appUrl: config.datadog.appUrl,
              site: config.datadog.api.site,
              timezone: config.displayTimezone,
            },
            logger.child({ queue: QUEUES.enrichment }),
          ),
        ),
        connection,
        { ...config, workerConcurrency: Math.min(4, config.workerConcurrency) },
        logger,
      ),
    );
  workers.push(
    startQueueWorker(
      QUEUES.handshakes,
      sourceHandshakeProcessor(
        { sources: SOURCES, visit: createHandshakeVisitor({ fetch: outbound.fetch }) },
        logger.child({ queue: QUEUES.handshakes }),
      ),
      connection,
      { ...config, workerConcurrency: Math.min(4, config.workerConcurrency) },
      logger,
    ),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await postmortems.scheduleReminder(config.actionItemsReminderCron, config.displayTimezone);
  logger.info({ concurrency: config.workerConcurrency }, 'worker started');

  return {
    mongo,
    async close() {
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref(),
      );
      const closing = Promise.all(workers.map((w) => w.close()));
      if ((await Promise.race([closing, timeout])) === 'timeout') {
        logger.warn('running jobs did not finish in time; they will be retried by another worker');
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await Promise.all([notifications.close(), postmortems.close(), enrichment?.close()]);
      connection.disconnect();
      await mongo.close();
    },
  };
}

function startQueueWorker(
  queue: string,
  processor: Processor,
  connection: Redis,
  config: WorkerConfig,
  logger: Logger,
): Worker {
  const worker = new Worker(queue, processor, {
    connection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    // A killed worker's jobs are taken over by another once their lock expires.
    lockDuration: config.workerLockMs,
    stalledInterval: Math.max(250, Math.floor(config.workerLockMs / 2)),
    maxStalledCount: 5,
    // The alert batches' capped backoff (ALERT_JOB_OPTIONS); other queues keep BullMQ's own.
    settings: { backoffStrategy: alertBackoffStrategy(config.alertRetry) },
  });
  worker.on('failed', (job, error) => {
    logger.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed');
  });
  worker.on('error', (error) => logger.error({ queue, err: error.message }, 'worker error'));
  return worker;
}

/** One queue, several job names: each job goes to the processor of its name. */
function byJobName(processors: Record<string, Processor>): Processor {
  return (job, token) => {
    const processor = processors[job.name];
    if (processor === undefined) throw new Error(`no processor for job ${job.name}`);
    return processor(job, token);
  };
}
