/** The servers (scripts/test-services.mjs) and the environment of each phase: its own prefix and database. */
import { Queue } from 'bullmq';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { QUEUES, alertsCarried } from '../../src/queue/jobs';
import { API_TOKEN, ROOT, startProc, waitHttp, WEBHOOK_TOKEN, type Proc } from './procs';
import { freePort, sleep } from './util';

interface TestServicesModule {
  startTestServices(options?: { keepRunning?: boolean }): Promise<{ redisUrl: string; mongodbUri: string }>;
  stopTestServices(handle: unknown): Promise<unknown>;
}

export interface Services {
  redisUrl: string;
  mongodbUri: string;
  stop(): Promise<void>;
}

export async function startServices(): Promise<Services> {
  const url = pathToFileURL(path.join(ROOT, 'scripts', 'test-services.mjs')).href;
  const mod = (await import(url)) as TestServicesModule;
  const handle = await mod.startTestServices();
  return {
    redisUrl: handle.redisUrl,
    mongodbUri: handle.mongodbUri,
    stop: async () => {
      await mod.stopTestServices(handle);
    },
  };
}

let phaseCounter = 0;

export interface PhaseEnv {
  env: Record<string, string>;
  mongodbUri: string;
  prefix: string;
  dbName: string;
}

/** A fresh QUEUE_PREFIX and database name for one phase. */
export function phaseEnv(services: Services, name: string, extra: Record<string, string> = {}): PhaseEnv {
  phaseCounter += 1;
  const tag = `${Date.now().toString(36)}${phaseCounter}`;
  const dbName = `hsbench_${name}_${tag}`;
  const u = new URL(services.mongodbUri);
  u.pathname = `/${dbName}`;
  const prefix = `hsbench-${name}-${tag}`;
  return {
    mongodbUri: u.toString(),
    prefix,
    dbName,
    env: {
      REDIS_URL: services.redisUrl,
      MONGODB_URI: u.toString(),
      WEBHOOK_TOKEN,
      API_TOKEN,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      WORKER_CONCURRENCY: '16',
      NOTIFY_TARGETS_FILE: path.join(ROOT, 'test', 'fixtures', 'notify', 'no-targets.json'),
      ...extra,
    },
  };
}

export interface Api {
  proc: Proc;
  port: number;
  base: string;
}

export async function startApi(env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const proc = startProc(['src/main.ts', 'api'], { ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitHttp(`${base}/healthz`, proc);
  } catch (error) {
    await proc.stop(1000);
    throw error;
  }
  return { proc, port, base };
}

export function alertsQueue(redisUrl: string, prefix: string): Queue {
  return new Queue(QUEUES.alerts, { connection: { url: redisUrl }, prefix });
}

/** The postmortems queue (drafts), on which a job scheduler always keeps one delayed job: the daily reminder. */
export function postmortemsQueue(redisUrl: string, prefix: string): Queue {
  return new Queue(QUEUES.postmortems, { connection: { url: redisUrl }, prefix });
}

/** Drafts not finished yet (the reminder's standing job is not one). */
export async function pendingDrafts(queue: Queue): Promise<number> {
  return (await pendingJobs(queue)) - (await queue.getJobSchedulersCount());
}

const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Jobs not finished yet (cheap: counts only). */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts(...UNFINISHED);
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Alerts not applied yet: a job carries a batch of them, so this reads the unfinished jobs' data. */
export async function pendingAlerts(queue: Queue): Promise<number> {
  return alertsCarried(await queue.getJobs([...UNFINISHED]));
}

/** Starts `n` worker processes and resolves once all of them are registered on the alerts queue. */
export async function startWorkers(env: Record<string, string>, queue: Queue, n: number): Promise<Proc[]> {
  const before = await queue.getWorkersCount();
  const procs = Array.from({ length: n }, () => startProc(['src/main.ts', 'worker'], env));
  const deadline = Date.now() + 45_000;
  while ((await queue.getWorkersCount()) < before + n) {
    if (Date.now() > deadline) {
      await Promise.all(procs.map((p) => p.stop(1000)));
      throw new Error(`workers did not register within 45 s:\n${procs[0]?.output.join('').slice(-2000)}`);
    }
    await sleep(50);
  }
  return procs;
}

export async function cleanupPhase(services: Services, pe: PhaseEnv): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: { url: services.redisUrl }, prefix: pe.prefix });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(services.mongodbUri);
  try {
    await client.db(pe.dbName).dropDatabase();
  } catch {
    // best effort
  } finally {
    await client.close();
  }
}
