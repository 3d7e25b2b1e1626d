/**
 * The load generator, run as a separate process (`tsx bench/load.ts '<json options>'`): autocannon against
 * 127.0.0.1 with a distinct Datadog payload per request. Prints autocannon's result as one JSON line.
 */
import autocannon from 'autocannon';
import { streamPayload } from './lib/payloads';

export interface LoadOptions {
  url: string;
  token: string;
  connections: number;
  durationSec?: number;
  amount?: number;
  overallRate?: number;
  monitors?: number;
  seed?: number;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  durationSec: number;
}

function main(): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  let i = 0;
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      ...(options.amount !== undefined
        ? { amount: options.amount }
        : { duration: options.durationSec ?? 10 }),
      ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
      requests: [
        {
          method: 'POST',
          path: '/webhooks/datadog',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
          setupRequest: (req) => {
            const body = JSON.stringify(streamPayload(i, options.monitors ?? 1000, options.seed ?? 0));
            i += 1;
            return { ...req, body };
          },
        },
      ],
    },
    (error, result) => {
      if (error) {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      }
      const out: LoadResult = {
        rps: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        durationSec: result.duration,
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    },
  );
  process.once('SIGTERM', () => instance.stop());
}

main();
