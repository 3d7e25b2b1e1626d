/**
 * Reads with many incidents stored: one real incident is written by the app (a trigger and its recovery
 * through the API and a worker), read back raw with the driver, and cloned 10,000 times (new _id, groupKey,
 * currentKey, createdAt, event ids) straight into the incidents collection.
 */
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { alertsQueue, cleanupPhase, phaseEnv, startApi, startWorkers, type Services } from '../lib/env';
import { apiGet, appliedEntries, postWebhook } from '../lib/http';
import { datadogPayload } from '../lib/payloads';
import type { Proc } from '../lib/procs';
import { percentile, sleep } from '../lib/util';

export interface ScaleFigures {
  incidents: number;
  listP50Ms: number | null;
  listP99Ms: number | null;
  deepPageP50Ms: number | null;
  deepPageP99Ms: number | null;
  deepPageDepth: number;
  getP50Ms: number | null;
  getP99Ms: number | null;
  requests: { list: number; deepPage: number; get: number };
}

async function measure(
  requests: number,
  budgetMs: number,
  fn: (i: number) => Promise<void>,
): Promise<{ p50: number | null; p99: number | null; n: number }> {
  const times: number[] = [];
  const end = Date.now() + budgetMs;
  for (let i = 0; i < requests && Date.now() < end; i += 1) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length };
}

function expectOk(status: number, what: string): void {
  if (status !== 200) throw new Error(`${what} answered ${status}`);
}

export async function scale(services: Services, count = 10_000, requests = 200): Promise<ScaleFigures> {
  const pe = phaseEnv(services, 'scale');
  const api = await startApi(pe.env);
  const queue = alertsQueue(services.redisUrl, pe.prefix);
  const client = new MongoClient(pe.mongodbUri);
  let workers: Proc[] = [];
  try {
    workers = await startWorkers(pe.env, queue, 1);
    const m = { monitorId: '777001', scope: 'host:api-1' };
    await postWebhook(api.base, datadogPayload({ transition: 'Triggered', ...m }));
    const recovery = await postWebhook(api.base, datadogPayload({ transition: 'Recovered', ...m }));
    const deadline = Date.now() + 30_000;
    while (!(await appliedEntries(api.base, 10)).some((e) => e.eventId === recovery)) {
      if (Date.now() > deadline) throw new Error('the template incident was not written within 30 s');
      await sleep(100);
    }
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    const incidents = client.db(pe.dbName).collection('incidents');
    const template = await incidents.findOne({});
    if (template === null) throw new Error('no incident written');
    const base = Date.now() - count * 60_000;
    const batch: Document[] = [];
    for (let i = 1; i < count; i += 1) {
      const groupKey = `${String(template.groupKey)}#bench${i}`;
      const createdAt = new Date(base + i * 60_000);
      const pendingEvents = (template.pendingEvents as Document[]).map((e) => ({
        ...e,
        eventId: `${String(e.eventId)}-${i}`,
      }));
      batch.push({
        ...template,
        _id: new ObjectId(),
        groupKey,
        ...(typeof template.currentKey === 'string' ? { currentKey: `${groupKey}#x` } : {}),
        createdAt,
        pendingEvents,
      });
      if (batch.length === 500) await incidents.insertMany(batch.splice(0));
    }
    if (batch.length > 0) await incidents.insertMany(batch.splice(0));
    const stored = await incidents.countDocuments({});

    const phaseBudget = 25_000;
    const list = await measure(requests, phaseBudget, async () => {
      expectOk((await apiGet(api.base, '/api/incidents')).status, 'list');
    });
    let cursor: string | null = null;
    let depth = 0;
    for (; depth < 20; depth += 1) {
      const { status, body } = await apiGet(api.base, `/api/incidents${cursor ? `?cursor=${cursor}` : ''}`);
      expectOk(status, 'list page');
      const nextCursor = (body as { nextCursor: string | null }).nextCursor;
      if (nextCursor === null) break;
      cursor = nextCursor;
    }
    const deep = await measure(requests, phaseBudget, async () => {
      expectOk(
        (await apiGet(api.base, cursor ? `/api/incidents?cursor=${cursor}` : '/api/incidents')).status,
        'deep page',
      );
    });
    const ids = (
      await incidents
        .find({}, { projection: { _id: 1 } })
        .limit(2000)
        .toArray()
    ).map((d) => String(d._id));
    const get = await measure(requests, phaseBudget, async (i) => {
      expectOk((await apiGet(api.base, `/api/incidents/${ids[(i * 7919) % ids.length]}`)).status, 'get');
    });
    return {
      incidents: stored,
      listP50Ms: list.p50,
      listP99Ms: list.p99,
      deepPageP50Ms: deep.p50,
      deepPageP99Ms: deep.p99,
      deepPageDepth: depth,
      getP50Ms: get.p50,
      getP99Ms: get.p99,
      requests: { list: list.n, deepPage: deep.n, get: get.n },
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await api.proc.stop();
    await queue.close();
    await client.close();
    await cleanupPhase(services, pe);
  }
}
