import { alertsQueue, cleanupPhase, phaseEnv, startApi, type Services } from '../lib/env';
import { runLoad } from '../lib/load-client';
import { startProc, waitHttp, WEBHOOK_TOKEN } from '../lib/procs';
import { freePort, median, round, settledRssMb } from '../lib/util';

export const LOAD = { connections: 50, durationSec: 8 };
/** Hello-world and ingest runs alternate this many times; medians are reported. */
export const INGEST_ROUNDS = 5;

/** Limits high enough never to refuse the bench's load, so the limiter runs as in production and refuses nothing. */
const LIMITER_ON = { RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_BURST: '1000000' };

export interface IngestFigures {
  helloWorldRps: number;
  rps: number;
  /** The median of each round's ingest/hello-world ratio (each pair ran back to back). */
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  rounds: { helloWorldRps: number; rps: number; ratio: number; p50Ms: number; p99Ms: number }[];
}

/**
 * The ceiling and the ingest route, measured in alternating rounds (this machine's speed drifts by tens of
 * percent within minutes; a pair run back to back sees the same machine). Ingest: POST /webhooks/datadog with
 * no worker running (the API and Redis only), the rate limiter on.
 */
export async function ingestAgainstCeiling(services: Services): Promise<IngestFigures> {
  const helloPort = await freePort();
  const hello = startProc(['bench/hello-world.ts'], { PORT: String(helloPort) });
  const pe = phaseEnv(services, 'ingest', LIMITER_ON);
  const api = await startApi(pe.env);
  try {
    await waitHttp(`http://127.0.0.1:${helloPort}/healthz`, hello);
    const rounds: IngestFigures['rounds'] = [];
    let total = 0;
    for (let i = 0; i < INGEST_ROUNDS; i += 1) {
      const h = await runLoad({ url: `http://127.0.0.1:${helloPort}`, token: 'x', ...LOAD, seed: i });
      const r = await runLoad({ url: api.base, token: WEBHOOK_TOKEN, ...LOAD, monitors: 5000, seed: i });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`ingest: ${r.non2xx} non-2xx, ${r.errors} errors`);
      total += r.total;
      rounds.push({
        helloWorldRps: round(h.rps),
        rps: round(r.rps),
        ratio: round(r.rps / h.rps, 3),
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
      });
    }
    return {
      helloWorldRps: round(median(rounds.map((x) => x.helloWorldRps))),
      rps: round(median(rounds.map((x) => x.rps))),
      ratio: round(median(rounds.map((x) => x.ratio)), 3),
      p50Ms: median(rounds.map((x) => x.p50Ms)),
      p99Ms: median(rounds.map((x) => x.p99Ms)),
      total,
      rounds,
    };
  } finally {
    await hello.stop();
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
    const at20k = await settledRssMb(api.proc.pid);
    const b = await runLoad({
      url: api.base,
      token: WEBHOOK_TOKEN,
      connections: 50,
      amount: 80_000,
      seed: 1,
    });
    const at100k = await settledRssMb(api.proc.pid);
    const bad = a.non2xx + a.errors + b.non2xx + b.errors;
    if (bad > 0) throw new Error(`api memory: ${bad} requests failed`);
    return { apiRssMbAt20k: at20k, apiRssMbAt100k: at100k, accepted: a.total + b.total };
  } finally {
    await queue.close();
    await api.proc.stop();
    await cleanupPhase(services, pe);
  }
}
