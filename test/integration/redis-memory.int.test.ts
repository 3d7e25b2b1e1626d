/**
 * Redis keeps no payload longer than it must: a completed alert batch is removed at once (the alert log in
 * MongoDB is the record), and a request's body travels once per job however many alerts it holds. Measured
 * with MEMORY USAGE over every key under the pipeline's own QUEUE_PREFIX, on the real test Redis.
 */
import { Redis } from 'ioredis';
import request from 'supertest';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import { QUEUES, type AlertBatchJob } from '../../src/queue/jobs';
import { eachLimited } from '../helpers/load';
import { WEBHOOK_TOKEN, datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

/**
 * What the pipeline's keys may take after the burst, the postmortems queue's aside (it keeps each completed
 * draft a week on purpose: its job id is what makes a draft queued twice run once; no alert payload is in it).
 * What is left is the alerts queue's event stream (job ids and counts, a few hundred bytes per batch) and a few
 * small keys. A job holds each alert as adapted plus its body as received, well over 1 KB an alert: had Redis
 * kept the jobs of even 100 of the 1,000 alerts, their data alone would pass this.
 */
const BOUND = 100_000;

const pipelines: Pipeline[] = [];
let redis: Redis | undefined;
afterAll(async () => {
  for (const p of pipelines) await p.close();
  redis?.disconnect();
});

async function pipelineWith(options: Parameters<typeof startPipeline>[0]): Promise<Pipeline> {
  const p = await startPipeline(options);
  pipelines.push(p);
  redis ??= new Redis(p.config.redisUrl);
  return p;
}

/** Every key under `${prefix}:` and what Redis says it takes (MEMORY USAGE, every element sampled). */
async function keysUnder(prefix: string): Promise<Map<string, number>> {
  const client = redis!;
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', '1000');
    cursor = next;
    for (const key of found) keys.add(key);
  } while (cursor !== '0');
  const sizes = new Map<string, number>();
  for (const key of keys) {
    const bytes = (await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
    if (bytes !== null) sizes.set(key, bytes);
  }
  return sizes;
}

/** The keys among `keys` whose content holds any of `needles` (each read whole, whatever its type). */
async function keysHolding(keys: Iterable<string>, needles: string[]): Promise<string[]> {
  const client = redis!;
  const holding: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    const content =
      type === 'string'
        ? [await client.get(key)]
        : type === 'hash'
          ? Object.values(await client.hgetall(key))
          : type === 'list'
            ? await client.lrange(key, 0, -1)
            : type === 'set'
              ? await client.smembers(key)
              : type === 'zset'
                ? await client.zrange(key, '0', '-1')
                : type === 'stream'
                  ? (await client.xrange(key, '-', '+')).flatMap(([, fields]) => fields)
                  : [`(${type})`];
    const text = content.join('\n');
    if (needles.some((needle) => text.includes(needle))) holding.push(key);
  }
  return holding;
}

const total = (sizes: Map<string, number>) => [...sizes.values()].reduce((a, b) => a + b, 0);

describe('what Redis keeps of the alerts', () => {
  it('when 1,000 Datadog alerts are applied, then no job and no payload of theirs is left in Redis', async () => {
    const p = await pipelineWith({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    const prefix = p.config.queuePrefix;
    const before = total(await keysUnder(prefix));

    // 100 monitors, each triggered and recovered five times, two hours apart (past the reopen window).
    const monitors = Array.from({ length: 100 }, (_, m) => {
      const id = String(61_000 + m);
      return Array.from({ length: 10 }, (_, k) => {
        const at = new Date(Date.UTC(2026, 5, 14, 2 * Math.floor(k / 2), k % 2 === 0 ? 0 : 10 + (m % 40)));
        return datadogPayload({
          monitorId: id,
          transition: k % 2 === 0 ? 'Triggered' : 'Recovered',
          at: at.toISOString(),
        });
      });
    });
    const statuses: number[] = [];
    await eachLimited(monitors, 16, async (payloads) => {
      for (const payload of payloads) statuses.push((await p.postDatadog(payload)).status);
    });
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    await p.drain(50_000);

    const logged = await p.mongo.collection<AlertLogDoc>('alert_log').find({}).toArray();
    expect(logged.map((l) => l.eventId).sort()).toEqual(
      monitors.flatMap((payloads) => payloads.map((payload) => `datadog:${payload.id}`)).sort(),
    );
    expect(logged.filter((l) => l.status !== 'applied' && l.status !== 'held')).toEqual([]);
    expect(await p.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });

    const after = await keysUnder(prefix);
    const jobKeys = [...after.keys()].filter((key) =>
      new RegExp(`^${prefix}:${QUEUES.alerts}:\\d+(:|$)`).test(key),
    );
    expect(jobKeys).toEqual([]);
    const carrying = await keysHolding(after.keys(), ['alert_transition', '"eventId"']);
    expect(carrying).toEqual([]);

    const queued = [...p.queuedJobs.values()];
    const perAlert = queued.reduce((sum, data) => sum + Buffer.byteLength(JSON.stringify(data)), 0) / 1000;
    const byGroup = new Map<string, number>();
    for (const [key, bytes] of after) {
      const [queue = '', kind = ''] = key.slice(prefix.length + 1).split(':');
      const group = `${queue}:${/^\d+$|^draft-/.test(kind) ? '<job>' : kind}`;
      byGroup.set(group, (byGroup.get(group) ?? 0) + bytes);
    }
    process.stderr.write(
      `redis-memory: ${queued.length} batches, ${Math.round(perAlert)} B of job data per alert; under the prefix ` +
        `${before} B before, ${total(after)} B after in ${after.size} keys: ${[...byGroup]
          .sort((a, b) => b[1] - a[1])
          .map(([g, v]) => `${g} ${v}`)
          .join(', ')}\n`,
    );
    const outsidePostmortems = [...after].filter(
      ([key]) => !key.startsWith(`${prefix}:${QUEUES.postmortems}:`),
    );
    expect(100 * perAlert).toBeGreaterThan(BOUND);
    expect(outsidePostmortems.reduce((sum, [, bytes]) => sum + bytes, 0)).toBeLessThan(BOUND);
  }, 240_000);

  it('when one Alertmanager notification lists 100 alerts of one group, then its job carries the body once', async () => {
    const p = await pipelineWith({ workers: 0 });
    const alerts = Array.from({ length: 100 }, (_, i) => ({
      status: 'firing',
      labels: {
        alertname: 'NodeFilesystemAlmostFull',
        device: '/dev/nvme0n1p1',
        instance: `db-${i}.internal:9100`,
        job: 'node',
        mountpoint: '/var/lib/postgresql',
        nodename: `db-${i}`,
        severity: 'warning',
      },
      annotations: {
        description: `Filesystem /var/lib/postgresql on db-${i} has less than 10% space left.`,
        summary: 'Filesystem almost full',
      },
      startsAt: '2026-06-14T09:58:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1',
      fingerprint: i.toString(16).padStart(16, '0'),
    }));
    const body = JSON.stringify({
      receiver: 'hindsight',
      status: 'firing',
      alerts,
      groupLabels: { alertname: 'NodeFilesystemAlmostFull' },
      commonLabels: { alertname: 'NodeFilesystemAlmostFull', job: 'node', severity: 'warning' },
      commonAnnotations: { summary: 'Filesystem almost full' },
      externalURL: 'http://alertmanager.example.com:9093',
      version: '4',
      groupKey: '{}:{alertname="NodeFilesystemAlmostFull"}',
      truncatedAlerts: 0,
    });

    const res = await request(p.app)
      .post('/webhooks/alertmanager')
      .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(202);

    const [job, ...others] = await p.queue.getJobs(['waiting']);
    expect(others).toEqual([]);
    const data = job!.data as AlertBatchJob;
    expect(data.bodies).toEqual([body]);
    expect(data.alerts).toHaveLength(100);
    expect(data.alerts.filter((a) => a.body !== 0 || a.raw !== undefined)).toEqual([]);

    const bodyBytes = Buffer.byteLength(body);
    const jobBytes = Buffer.byteLength(JSON.stringify(job!.data));
    const stored = (await redis!.call(
      'MEMORY',
      'USAGE',
      `${p.config.queuePrefix}:${QUEUES.alerts}:${job!.id}`,
      'SAMPLES',
      '0',
    )) as number;
    process.stderr.write(
      `redis-memory: Alertmanager body ${bodyBytes} B; its job's data ${jobBytes} B, ${stored} B in Redis ` +
        `(100 copies of the body would be ${100 * bodyBytes} B)\n`,
    );
    // The body once, plus the 100 alerts as adapted (a few times the body between them): a tenth of what 100
    // copies of the body would take, and less than 10 copies of it.
    expect(jobBytes).toBeLessThan(10 * bodyBytes);
    expect(stored).toBeLessThan(10 * bodyBytes);
  });
});
