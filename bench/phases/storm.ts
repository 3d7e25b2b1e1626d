/**
 * Database commands per alert, counted with the MongoDB driver's command monitoring on the workers'
 * connection (so the figure holds on MongoDB too, whatever the test server's speed): a storm of 400 Datadog
 * alerts over 100 monitors (each monitor's 2 hosts trigger, then recover) with every draft written, and one
 * lone trigger and recovery with its draft. Then Redis memory per 10,000 accepted alerts, queued before any
 * worker takes them. In this process, on the pipeline of the integration tests.
 */
import { Redis } from 'ioredis';
import { datadogPayload, startPipeline, type Pipeline } from '../../test/helpers/pipeline';
import { eachLimited } from '../../test/helpers/load';

export interface StormFigures {
  alerts: number;
  commands: number;
  commandsPerAlert: number;
  bytesPerAlert: number;
  byCommand: Record<string, number>;
  drafts: number;
}

export interface StormResults {
  storm: StormFigures;
  lone: StormFigures;
  redisBytesPer10kQueued: number;
}

interface Counter {
  commands: Map<string, number>;
  bytes: number;
  reset(): void;
}

function counter(): Counter {
  const c: Counter = {
    commands: new Map(),
    bytes: 0,
    reset() {
      c.commands.clear();
      c.bytes = 0;
    },
  };
  return c;
}

function figures(c: Counter, alerts: number, drafts: number): StormFigures {
  const commands = [...c.commands.values()].reduce((a, b) => a + b, 0);
  return {
    alerts,
    commands,
    commandsPerAlert: Math.round((commands / alerts) * 1000) / 1000,
    bytesPerAlert: Math.round(c.bytes / alerts),
    byCommand: Object.fromEntries([...c.commands].sort((a, b) => b[1] - a[1])),
    drafts,
  };
}

let monitorBase = 7_000_000 + Math.floor(Math.random() * 1_000_000);

async function post(p: Pipeline, payload: Record<string, string>): Promise<void> {
  const res = await p.postDatadog(payload);
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
}

async function draftsOf(p: Pipeline, monitors: string[]): Promise<number> {
  const incidents = await p.mongo
    .collection('incidents')
    .find({ groupKey: { $in: monitors.map((m) => `datadog:monitor:${m}`) } }, { projection: { _id: 1 } })
    .toArray();
  // A postmortem's _id is its incident's id.
  const ids = incidents.map((i) => String(i._id));
  return p.mongo.collection<{ _id: string }>('postmortems').countDocuments({ _id: { $in: ids } });
}

/** Each monitor's hosts trigger (all at once, 50 requests in flight), then recover; every draft is written. */
async function storm(p: Pipeline, c: Counter, monitorCount: number, hosts: number): Promise<StormFigures> {
  const monitors = Array.from({ length: monitorCount }, () => String((monitorBase += 1)));
  const payloads = (transition: string, minute: number) =>
    monitors.flatMap((monitorId) =>
      Array.from({ length: hosts }, (_, h) =>
        datadogPayload({
          transition,
          monitorId,
          scope: `host:web-${h}`,
          at: `2026-06-14T10:${String(minute).padStart(2, '0')}:00Z`,
        }),
      ),
    );
  c.reset();
  const triggers = payloads('Triggered', 0);
  await eachLimited(triggers, 50, (payload) => post(p, payload));
  await p.drain(600_000);
  const recoveries = payloads('Recovered', 20);
  await eachLimited(recoveries, 50, (payload) => post(p, payload));
  await p.drain(600_000);
  const result = figures(c, triggers.length + recoveries.length, await draftsOf(p, monitors));
  return result;
}

export async function stormRun(): Promise<StormResults> {
  const c = counter();
  const p = await startPipeline({
    workers: 1,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', WORKER_LOCK_MS: '30000' },
    onWorkerCommand: (name, bytes) => {
      c.commands.set(name, (c.commands.get(name) ?? 0) + 1);
      c.bytes += bytes;
    },
  });
  try {
    const lone = await storm(p, c, 1, 1);
    const big = await storm(p, c, 100, 2);
    const redisBytesPer10kQueued = await redisPer10k();
    return { storm: big, lone, redisBytesPer10kQueued };
  } finally {
    await p.close();
  }
}

/** Redis's used memory before and after 10,000 alerts are accepted, with no worker to take them. */
async function redisPer10k(): Promise<number> {
  const p = await startPipeline({ workers: 0, env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' } });
  const redis = new Redis(p.config.redisUrl);
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
  try {
    const before = await used();
    const payloads = Array.from({ length: 10_000 }, (_, i) =>
      datadogPayload({
        transition: i % 2 === 0 ? 'Triggered' : 'Recovered',
        monitorId: String(9_000_000 + Math.floor(i / 2)),
        at: '2026-06-14T10:00:00Z',
      }),
    );
    await eachLimited(payloads, 50, (payload) => post(p, payload));
    return (await used()) - before;
  } finally {
    redis.disconnect();
    await p.close();
  }
}

if (require.main === module) {
  void stormRun().then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
