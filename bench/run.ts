/**
 * `npm run bench [-- --only ingest,database,workers,endToEnd,draft,scale,memory,workerMemory,storm,growth] [--out file]`:
 * starts what it needs, measures, prints a table with the targets and writes bench/results.json (or `file`).
 * A phase that fails reports null with a note; everything started here is stopped, also on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { databaseCeiling, WRITES_DESCRIPTION } from './phases/database';
import { draftRun, E2E_WORKERS, endToEndRun } from './phases/end-to-end';
import { apiMemory, ingestAgainstCeiling, INGEST_ROUNDS, LOAD } from './phases/ingest';
import { scale } from './phases/scale';
import { stormRun } from './phases/storm';
import { incidentGrowthRun } from './phases/incident-growth';
import { workerMemory } from './phases/worker-memory';
import { workerRun, type WorkerRun } from './phases/workers';
import { startServices, type Services } from './lib/env';
import { machine, versions } from './lib/machine';
import { printTable, type Results } from './lib/report';
import { errorMessage, median, round } from './lib/util';

const WORKER_ALERTS = 1200;
const PHASES = [
  'ingest',
  'database',
  'workers',
  'endToEnd',
  'draft',
  'scale',
  'memory',
  'workerMemory',
  'storm',
  'growth',
] as const;
type Phase = (typeof PHASES)[number];

function selected(): Set<Phase> {
  const i = process.argv.indexOf('--only');
  const only = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (!only) return new Set(PHASES);
  const names = only.split(',').map((s) => s.trim());
  for (const n of names) if (!PHASES.includes(n as Phase)) throw new Error(`unknown phase ${n}`);
  return new Set(names as Phase[]);
}

/** `--out <file>` (relative to the working directory); bench/results.json by default. */
function outputFile(): string {
  const i = process.argv.indexOf('--out');
  const given = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--out='))?.slice(6);
  return given ? path.resolve(given) : path.join(__dirname, 'results.json');
}

async function main(): Promise<void> {
  const phases = selected();
  const started = Date.now();
  const notes: string[] = [];
  const results: Results = {
    machine: machine(),
    versions: { node: process.version, redis: null, database: null },
    ingest: { helloWorldRps: null, rps: null, ratio: null, p50Ms: null, p99Ms: null },
    database: { ceilingAlertsPerSec: null, writesPerAlert: null },
    workers: { '1': null, '2': null, '4': null, bestRatioToCeiling: null },
    endToEnd: { offeredPerSec: null, p50Ms: null, p99Ms: null, maxSustainedPerSec: null },
    draft: { p50Ms: null, p99Ms: null },
    scale: { incidents: null, listP99Ms: null, deepPageP99Ms: null, getP99Ms: null },
    memory: {
      apiRssMbAt20k: null,
      apiRssMbAt100k: null,
      workerRssMbAt20k: null,
      workerRssMbAt100k: null,
      workerRssMbAt: null,
    },
    details: {},
    notes,
  };
  const phase = async (name: string, fn: () => Promise<void>) => {
    const t = Date.now();
    process.stderr.write(`[bench] ${name}...\n`);
    try {
      await fn();
    } catch (error) {
      notes.push(`${name} failed: ${errorMessage(error).slice(0, 500)}`);
      process.stderr.write(`[bench] ${name} FAILED: ${errorMessage(error)}\n`);
    }
    process.stderr.write(`[bench] ${name} done in ${round((Date.now() - t) / 1000)} s\n`);
  };

  let services: Services | null = null;
  const stopAll = async () => {
    if (services) await services.stop().catch(() => undefined);
    services = null;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
  try {
    const s = await startServices();
    services = s;
    results.versions = await versions(s.redisUrl, s.mongodbUri);
    notes.push(
      `load: autocannon in a separate process, ${LOAD.connections} connections, ${LOAD.durationSec} s, distinct Datadog payloads (id, monitor, scope vary), 127.0.0.1`,
    );

    if (phases.has('ingest')) {
      await phase('ingest against the hello-world ceiling', async () => {
        const r = await ingestAgainstCeiling(s);
        results.ingest = {
          helloWorldRps: r.helloWorldRps,
          rps: r.rps,
          ratio: r.ratio,
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
        };
        results.details.ingestRequests = r.total;
        results.details.ingestRounds = r.rounds;
        notes.push(
          `ingest: ${INGEST_ROUNDS} rounds, each a hello-world run then an ingest run back to back (${LOAD.durationSec} s each); figures are medians, the ratio is the median of the rounds' ratios (details.ingestRounds); the API runs with the rate limiter on (limits too high to refuse anything), no worker`,
        );
      });
    }
    // The ceiling is measured again before each worker run (this machine's speed drifts within minutes): each
    // worker run is compared with the ceiling measured just before it.
    const ceilings: number[] = [];
    const measureCeiling = async (label: string) => {
      await phase(`database ceiling${label}`, async () => {
        const r = await databaseCeiling(s);
        ceilings.push(r.ceilingAlertsPerSec);
        results.database = {
          ceilingAlertsPerSec: round(median(ceilings)),
          writesPerAlert: r.writesPerAlert,
        };
      });
    };
    if (phases.has('database') && !phases.has('workers')) {
      await measureCeiling('');
      notes.push(`database ceiling: bare mongodb driver loop, 16 concurrent, 10 s; ${WRITES_DESCRIPTION}`);
    }
    if (phases.has('workers')) {
      const runs: (WorkerRun & { ceilingBefore: number | null; ratioToCeiling: number | null })[] = [];
      for (const n of [1, 2, 4] as const) {
        const before = ceilings.length;
        await measureCeiling(` (before workers x${n})`);
        const ceilingBefore = ceilings.length > before ? ceilings[ceilings.length - 1]! : null;
        await phase(`workers x${n}`, async () => {
          const r = await workerRun(s, n, WORKER_ALERTS, 45_000);
          const ratioToCeiling =
            r.alertsPerSec !== null && ceilingBefore ? round(r.alertsPerSec / ceilingBefore, 3) : null;
          runs.push({ ...r, ceilingBefore, ratioToCeiling });
          results.workers[String(n) as '1' | '2' | '4'] = r.alertsPerSec;
          if (!r.drainedInTime)
            notes.push(`workers x${n}: queue not drained within 45 s; rate over what drained`);
          if (n === 1 && r.workerRssMb !== null) {
            results.memory.workerRssMbAt = { alerts: r.alerts, rssMb: r.workerRssMb };
          }
        });
      }
      results.details.workerRuns = runs;
      const ratios = runs.map((r) => r.ratioToCeiling ?? 0);
      if (ratios.some((x) => x > 0)) results.workers.bestRatioToCeiling = Math.max(...ratios);
      notes.push(
        `database ceiling: bare mongodb driver loop, 16 concurrent, 10 s, measured before each worker run (${ceilings.join(', ')} alerts/s; the figure is their median, each worker run is compared with the one just before it: details.workerRuns); ${WRITES_DESCRIPTION}`,
      );
      notes.push(
        `workers: ${WORKER_ALERTS} alerts (a trigger and its recovery for each of ${WORKER_ALERTS / 2} monitors) queued through the API with workers stopped; then N worker processes (WORKER_CONCURRENCY=16 each); rate from all registered to the alerts queue empty and every postmortem draft of the recoveries written (as in the ceiling's loop)`,
      );
    }
    if (phases.has('endToEnd')) {
      const rates = [100, 50, 25, 10];
      const tried: unknown[] = [];
      for (const rate of rates) {
        let sustained = false;
        await phase(`end to end at ${rate}/s`, async () => {
          const r = await endToEndRun(s, rate, rate === 100 ? 15 : 10);
          tried.push(r);
          sustained = r.sustained;
          if (rate === 100) {
            results.endToEnd.offeredPerSec = rate;
            results.endToEnd.p50Ms = r.p50Ms;
            results.endToEnd.p99Ms = r.p99Ms;
          }
          if (r.sustained && results.endToEnd.maxSustainedPerSec === null)
            results.endToEnd.maxSustainedPerSec = rate;
        });
        if (sustained) break;
      }
      results.details.endToEndRuns = tried;
      notes.push(
        `end to end: paced sender in the bench process, ${E2E_WORKERS} worker processes; latency = the alerts queue's 'completed' event for the job holding the alert (QueueEvents, a Redis stream: no extra database load) − send time; a job completes only after its last alert's incident write, so GET /api/incidents/:id serves the alert from then on (the last 100 alerts sent are checked once through GET /api/alert-log?status=applied). maxSustainedPerSec: highest of 100/50/25/10 (tried in that order, stopping at the first sustained) with the alerts backlog ≤ 1 s of load when sending ends and every alert applied within 15 s after; at a rate that is not sustained, p99 is null and p50 covers only the alerts that were applied (details.endToEndRuns has every rate tried)`,
      );
    }
    if (phases.has('draft')) {
      await phase('draft', async () => {
        const r = await draftRun(s);
        results.draft = { p50Ms: r.p50Ms, p99Ms: r.p99Ms };
        results.details.draftMeasured = r.measured;
        notes.push(
          `draft: ${r.measured} incidents, ${E2E_WORKERS} workers, 5 concurrent: recovery webhook sent → GET /api/incidents/:id/postmortem polled every 25 ms until 200`,
        );
      });
    }
    if (phases.has('storm')) {
      await phase('storm (database commands per alert)', async () => {
        const r = await stormRun();
        results.storm = {
          commandsPerAlert: r.storm.commandsPerAlert,
          loneCommands: r.lone.commands,
          bytesPerAlert: r.storm.bytesPerAlert,
          redisBytesPer10kQueued: r.redisBytesPer10kQueued,
        };
        results.details.storm = r;
        notes.push(
          `storm: ${r.storm.alerts} Datadog alerts over 100 monitors (2 hosts each trigger, then recover, 50 requests in flight), one worker, every draft written (${r.storm.drafts}); commands counted with the driver's command monitoring on the worker's connection (details.storm.byCommand); the lone case is one trigger and its recovery with its draft; Redis bytes: used_memory before and after 10,000 accepted alerts with no worker`,
        );
      });
    }
    if (phases.has('growth')) {
      await phase('growth (one change as an incident grows)', async () => {
        const r = await incidentGrowthRun();
        results.incidentGrowth = r.map(({ changes: _changes, ...figures }) => figures);
        notes.push(
          `growth: an incident of 10, 1,000 and 10,000 events written through the repository, then 20 renotifications one at a time through the webhook; commands and bytes sent for writes on the worker's connection, per change`,
        );
      });
    }
    if (phases.has('scale')) {
      await phase('scale', async () => {
        const r = await scale(s);
        results.scale = {
          incidents: r.incidents,
          listP99Ms: r.listP99Ms,
          deepPageP99Ms: r.deepPageP99Ms,
          getP99Ms: r.getP99Ms,
        };
        results.details.scale = r;
        notes.push(
          `scale: incidents cloned from one the app wrote; sequential requests, up to 200 each or 25 s per kind (done: list ${r.requests.list}, deep ${r.requests.deepPage} at page ${r.deepPageDepth + 1}, get ${r.requests.get}); FerretDB sorts in memory, so these are lower bounds for a real MongoDB`,
        );
      });
    }
    if (phases.has('memory')) {
      await phase('api memory', async () => {
        const r = await apiMemory(s);
        results.memory.apiRssMbAt20k = r.apiRssMbAt20k;
        results.memory.apiRssMbAt100k = r.apiRssMbAt100k;
        notes.push(
          `memory: API RSS (VmRSS of the node process tsx runs) after 20,000 and after 100,000 accepted webhooks (${r.accepted} in all), no worker running; each the lowest of 6 readings over the 3 s after the load stopped`,
        );
      });
    }
    if (phases.has('workerMemory')) {
      await phase('worker memory', async () => {
        const r = await workerMemory(s);
        results.memory.workerRssMbAt20k = r.workerRssMbAt20k;
        results.memory.workerRssMbAt100k = r.workerRssMbAt100k;
        results.details.workerMemory = r.readings;
        notes.push(
          'worker memory: one worker process throughout; rounds of 2,000 alerts through the API (new monitors each round, a trigger and its recovery each), drained with their drafts, then the database documents deleted (indexes kept) so FerretDB scans stay small; RSS the lowest of 6 readings over 3 s after each round (details.workerMemory); rounds stop at 100,000 alerts or after 45 minutes, and a figure not reached is null',
        );
      });
    }
  } finally {
    await stopAll();
  }
  results.details.totalSeconds = round((Date.now() - started) / 1000);
  const file = outputFile();
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  process.stdout.write(`\nwritten: ${path.relative(process.cwd(), file)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
