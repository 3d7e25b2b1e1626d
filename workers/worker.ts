import { Worker } from 'bullmq';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../src/logger';
import { IncidentRepository } from '../src/persistence/incident.repository';
import { createRepositories, ensureIndexes } from '../src/persistence';
import { connectMongo } from '../src/persistence/connection';
import { createWorkerConnection } from '../src/queue/connections';
import { QUEUES } from '../src/queue/jobs';
import { routingRulesFrom } from '../src/use-cases/rules';
import { alertIngestProcessor } from './alert-ingest.processor';

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
>;

export async function startWorkers(config: WorkerConfig, logger: Logger): Promise<RunningWorkers> {
  const mongo = await connectMongo(config.mongodbUri, {
    maxPoolSize: Math.max(10, config.workerConcurrency * 2),
  });
  await ensureIndexes(mongo);
  const repositories = createRepositories(mongo);
  const connection = createWorkerConnection(config.redisUrl);
  const deps = {
    incidents: repositories.incidents,
    alertLog: repositories.alertLog,
    rules: routingRulesFrom(config),
    newIncidentId: () => IncidentRepository.newId(),
    now: () => new Date(),
  };
  const worker = new Worker(
    QUEUES.alerts,
    alertIngestProcessor(deps, logger.child({ queue: QUEUES.alerts })),
    {
      connection,
      prefix: config.queuePrefix,
      concurrency: config.workerConcurrency,
      lockDuration: config.workerLockMs,
      stalledInterval: Math.max(250, Math.floor(config.workerLockMs / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, error) => {
    logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'alert job failed');
  });
  worker.on('error', (error) => logger.error({ err: error.message }, 'worker error'));
  await worker.waitUntilReady();
  logger.info({ concurrency: config.workerConcurrency }, 'worker started');

  return {
    mongo,
    async close() {
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref(),
      );
      if ((await Promise.race([worker.close(), timeout])) === 'timeout') {
        logger.warn('running jobs did not finish in time; they will be retried by another worker');
        await worker.close(true);
      }
      connection.disconnect();
      await mongo.close();
    },
  };
}
