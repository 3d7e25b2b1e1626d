/**
 * The worker's resident memory after 20,000 and after 100,000 alerts: one worker process kept running while
 * rounds of alerts (a trigger and its recovery per monitor, new monitors each round) arrive through the API
 * and are drained, drafts included. Between rounds the database's documents are deleted (indexes kept): the
 * worker's memory is what is measured, and on FerretDB, which scans collections for what MongoDB serves from
 * an index, a database that kept growing would make 100,000 alerts take hours.
 */
import { MongoClient } from 'mongodb';
import {
  alertsQueue,
  cleanupPhase,
  pendingDrafts,
  pendingJobs,
  phaseEnv,
  postmortemsQueue,
  startApi,
  startWorkers,
  type Services,
} from '../lib/env';
import { runLoad } from '../lib/load-client';
import { WEBHOOK_TOKEN } from '../lib/procs';
import { settledRssMb, sleep } from '../lib/util';

const ROUND_ALERTS = 2_000;
const COLLECTIONS = ['alert_log', 'incidents', 'postmortems', 'action_items', 'deliveries'];

export interface WorkerMemory {
  workerRssMbAt20k: number | null;
  workerRssMbAt100k: number | null;
  /** RSS after each round, by alerts drained so far, and the seconds the round took. */
  readings: { alerts: number; rssMb: number | null; seconds: number }[];
}

/**
 * Rounds until `total` alerts or until `budgetMs` has passed (then the 100,000 figure is null and the readings
 * say how far it got).
 */
export async function workerMemory(
  services: Services,
  total = 100_000,
  budgetMs = 45 * 60_000,
): Promise<WorkerMemory> {
  const pe = phaseEnv(services, 'wmem');
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  const drafts = postmortemsQueue(services.redisUrl, pe.prefix);
  const client = new MongoClient(pe.mongodbUri);
  const readings: WorkerMemory['readings'] = [];
  const [worker] = await startWorkers(pe.env, queue, 1);
  try {
    let done = 0;
    const deadline = Date.now() + budgetMs;
    for (let round = 0; done < total && Date.now() < deadline; round += 1) {
      const t0 = Date.now();
      const load = await runLoad({
        url: api.base,
        token: WEBHOOK_TOKEN,
        connections: 20,
        amount: ROUND_ALERTS,
        monitors: ROUND_ALERTS / 2,
        seed: round,
      });
      if (load.non2xx + load.errors > 0)
        throw new Error(`round ${round}: ${load.non2xx + load.errors} failed`);
      while ((await pendingJobs(queue)) > 0 || (await pendingDrafts(drafts)) > 0) await sleep(250);
      done += ROUND_ALERTS;
      readings.push({
        alerts: done,
        rssMb: await settledRssMb(worker!.pid),
        seconds: Math.round((Date.now() - t0) / 1000),
      });
      process.stderr.write(`[bench] worker memory: ${done} alerts, ${readings.at(-1)!.rssMb} MB\n`);
      const db = client.db(pe.dbName);
      for (const name of COLLECTIONS) await db.collection(name).deleteMany({});
    }
    const at = (n: number) => readings.find((r) => r.alerts === n)?.rssMb ?? null;
    return { workerRssMbAt20k: at(20_000), workerRssMbAt100k: at(total), readings };
  } finally {
    await worker?.stop();
    await api.proc.stop();
    await client.close();
    await queue.close();
    await drafts.close();
    await cleanupPhase(services, pe);
  }
}
