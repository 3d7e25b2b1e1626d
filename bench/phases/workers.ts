import {
  alertsQueue,
  cleanupPhase,
  pendingAlerts,
  pendingDrafts,
  pendingJobs,
  postmortemsQueue,
  phaseEnv,
  startApi,
  startWorkers,
  type Services,
} from '../lib/env';
import { runLoad } from '../lib/load-client';
import { WEBHOOK_TOKEN } from '../lib/procs';
import { round, sleep, treeRssMb } from '../lib/util';

export interface WorkerRun {
  workers: number;
  alerts: number;
  alertsPerSec: number | null;
  drainedInTime: boolean;
  workerRssMb: number | null;
}

/**
 * Pre-fills the alerts queue through the API (workers stopped) with `alerts` webhooks: triggers and recoveries
 * of `alerts / 2` monitors, then starts `n` worker processes and measures the drain: from the moment all of
 * them are registered to an empty alerts queue with every postmortem draft written, alerts per second.
 */
export async function workerRun(
  services: Services,
  n: number,
  alerts: number,
  budgetMs: number,
): Promise<WorkerRun> {
  const pe = phaseEnv(services, `w${n}`);
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  const drafts = postmortemsQueue(services.redisUrl, pe.prefix);
  const procs: Awaited<ReturnType<typeof startWorkers>> = [];
  try {
    const fill = await runLoad({
      url: api.base,
      token: WEBHOOK_TOKEN,
      connections: 20,
      amount: alerts,
      monitors: alerts / 2,
    });
    if (fill.non2xx + fill.errors > 0) throw new Error(`pre-fill: ${fill.non2xx + fill.errors} failed`);
    await api.proc.stop();
    procs.push(...(await startWorkers(pe.env, queue, n)));
    const t0 = Date.now();
    const left0 = await pendingAlerts(queue);
    const deadline = t0 + budgetMs;
    // Until the drafts the recoveries set off are written too: the ceiling's loop writes them as well.
    const busy = async () => (await pendingJobs(queue)) > 0 || (await pendingDrafts(drafts)) > 0;
    while ((await busy()) && Date.now() < deadline) await sleep(100);
    const seconds = (Date.now() - t0) / 1000;
    const left = await pendingAlerts(queue);
    const drained = left0 - left;
    return {
      workers: n,
      alerts,
      alertsPerSec: seconds > 0 ? round(drained / seconds) : null,
      drainedInTime: left === 0,
      workerRssMb: procs[0] ? treeRssMb(procs[0].pid) : null,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await api.proc.stop();
    await queue.close();
    await drafts.close();
    await cleanupPhase(services, pe);
  }
}
