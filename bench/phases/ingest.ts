import { alertsQueue, cleanupPhase, phaseEnv, startApi, type Services } from '../lib/env';
import { runLoad } from '../lib/load-client';
import { startProc, waitHttp, WEBHOOK_TOKEN } from '../lib/procs';
import { freePort, round, treeRssMb } from '../lib/util';

export const LOAD = { connections: 50, durationSec: 10 };

export async function helloWorld(): Promise<{ helloWorldRps: number }> {
  const port = await freePort();
  const proc = startProc(['bench/hello-world.ts'], { PORT: String(port) });
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, proc);
    const r = await runLoad({ url: `http://127.0.0.1:${port}`, token: 'x', ...LOAD });
    return { helloWorldRps: round(r.rps) };
  } finally {
    await proc.stop();
  }
}

export interface IngestFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
}

/** POST /webhooks/datadog with no worker running: the API and Redis only. */
export async function ingest(services: Services): Promise<IngestFigures> {
  const pe = phaseEnv(services, 'ingest');
  const api = await startApi(pe.env);
  try {
    const r = await runLoad({ url: api.base, token: WEBHOOK_TOKEN, ...LOAD, monitors: 5000 });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`ingest: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: round(r.rps), p50Ms: r.p50Ms, p99Ms: r.p99Ms, total: r.total, non2xx: r.non2xx };
  } finally {
    await api.proc.stop();
    await cleanupPhase(services, pe);
  }
}

/** API RSS after 20,000 and after 100,000 accepted webhooks (no worker: the queue holds them all). */
export async function apiMemory(
  services: Services,
): Promise<{ apiRssMbAt20k: number | null; apiRssMbAt100k: number | null; accepted: number }> {
  const pe = phaseEnv(services, 'apimem');
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  try {
    const a = await runLoad({ url: api.base, token: WEBHOOK_TOKEN, connections: 50, amount: 20_000 });
    const at20k = treeRssMb(api.proc.pid);
    const b = await runLoad({
      url: api.base,
      token: WEBHOOK_TOKEN,
      connections: 50,
      amount: 80_000,
      seed: 1,
    });
    const at100k = treeRssMb(api.proc.pid);
    const bad = a.non2xx + a.errors + b.non2xx + b.errors;
    if (bad > 0) throw new Error(`api memory: ${bad} requests failed`);
    return { apiRssMbAt20k: at20k, apiRssMbAt100k: at100k, accepted: a.total + b.total };
  } finally {
    await queue.close();
    await api.proc.stop();
    await cleanupPhase(services, pe);
  }
}
