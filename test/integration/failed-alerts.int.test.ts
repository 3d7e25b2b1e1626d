/**
 * An alert batch that fails for a reason other than an unreachable server stops after its bounded tries and
 * waits in the failed set: listed by GET /api/alert-log/failed, re-driven by `hindsight retry-failed-alerts`
 * (or POST /api/alert-log/failed/retry), and then applied exactly once. On real Redis and the database.
 */
import { Worker } from 'bullmq';
import { storedIncidents } from '../helpers/stored-incidents';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { alertBackoffStrategy, OTHER_FAILURE_ATTEMPTS } from '../../src/queue/alert-retries';
import { QUEUES } from '../../src/queue/jobs';
import { runCli } from '../../src/cli/hindsight';
import type { AlertLog } from '../../src/use-cases/ports';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { alertIngestProcessor } from '../../workers/alert-ingest.processor';
import { API_TOKEN, datadogPayload, startPipeline, testEnv, type Pipeline } from '../helpers/pipeline';
import request from 'supertest';

let p: Pipeline;
let worker: Worker | undefined;
const env = testEnv({ ALERT_RETRY_FIRST_MS: '10', ALERT_RETRY_MAX_MS: '20' });
let broken = true;

beforeAll(async () => {
  p = await startPipeline({ env: env as Record<string, string>, workers: 0 });
  // The real processor, on an alert log that refuses every record while `broken` (a bug, not an outage).
  const real = p.repositories.alertLog;
  const brokenLog: AlertLog = {
    record: (entry) => (broken ? Promise.reject(new TypeError('a bug in recording')) : real.record(entry)),
    markApplied: (a, id) => real.markApplied(a, id),
    markTest: (a) => real.markTest(a),
    markHeld: (a, reason) => real.markHeld(a, reason),
    findHeld: (g, since) => real.findHeld(g, since),
    recordMany: (entries) =>
      broken ? Promise.reject(new TypeError('a bug in recording')) : real.recordMany(entries),
    findHeldMany: (g, since) => real.findHeldMany(g, since),
    settle: (marks) => real.settle(marks),
  };
  worker = new Worker(
    QUEUES.alerts,
    alertIngestProcessor(
      {
        incidents: p.repositories.incidents,
        alertLog: brokenLog,
        rules: routingRulesFrom(p.config),
        newIncidentId: () => IncidentRepository.newId(),
        now: () => new Date(),
      },
      { publicUrl: p.config.publicUrl, queueDraft: () => Promise.resolve(), notify: () => Promise.resolve() },
      p.logger,
    ),
    {
      connection: { url: p.config.redisUrl },
      prefix: p.config.queuePrefix,
      concurrency: 2,
      settings: { backoffStrategy: alertBackoffStrategy(p.config.alertRetry) },
    },
  );
});
afterAll(async () => {
  await worker?.close();
  await p.close();
});

const api = (method: 'get' | 'post', path: string) =>
  request(p.app)[method](path).set('Authorization', `Bearer ${API_TOKEN}`);

function output() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('failed alert batches', () => {
  it('when a batch fails for good, then it is listed with its alerts, and once re-driven each alert opens its incident once', async () => {
    const monitors = ['91001', '91002', '91003'];
    const eventIds: string[] = [];
    for (const monitorId of monitors) {
      const payload = datadogPayload({ transition: 'Triggered', monitorId, at: '2026-06-14T10:00:00Z' });
      const res = await p.postDatadog(payload);
      expect(res.status).toBe(202);
      eventIds.push(`datadog:${payload.id}`);
    }
    // One consistent count (a job retried with backoff moves from active to delayed to waiting: counted one by
    // one, a job between two counts was missed): every job failed for good, none left to run.
    await until(async () => {
      const counts = await p.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      const left =
        (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      return (counts.failed ?? 0) > 0 && left === 0;
    });

    const listed = await api('get', '/api/alert-log/failed');
    expect(listed.status).toBe(200);
    const items = listed.body.items as { attempts: number; reason: string; alerts: { eventId: string }[] }[];
    expect(listed.body.total).toBe(items.length);
    expect(items.flatMap((i) => i.alerts.map((a) => a.eventId)).sort()).toEqual([...eventIds].sort());
    for (const item of items) {
      // Bounded tries for a failure that is not an outage, then no more.
      expect(item.attempts).toBe(OTHER_FAILURE_ATTEMPTS);
      expect(item.reason).toContain('a bug in recording');
    }
    expect(p.logLines.some((l) => l.includes('alert batch failed for good'))).toBe(true);

    const listing = output();
    expect(await runCli(['failed-alerts'], env, listing, output())).toBe(0);
    expect(listing.text()).toContain(`${items.length} failed alert batch`);

    // The bug is fixed; one command re-drives every failed batch.
    broken = false;
    const out = output();
    expect(await runCli(['retry-failed-alerts'], env, out, output())).toBe(0);
    expect(out.text()).toContain(`done: ${items.length} batch(es) queued again`);
    await p.drain();

    for (const monitorId of monitors) {
      const docs = await storedIncidents(p.mongo, { groupKey: `datadog:monitor:${monitorId}` });
      expect(docs).toHaveLength(1);
      expect(docs[0]!.events).toHaveLength(1);
    }
    expect(await p.queue.getFailedCount()).toBe(0);
    expect((await api('get', '/api/alert-log/failed')).body).toEqual({
      items: [],
      total: 0,
      nextOffset: null,
    });
    // Nothing left to re-drive: the API says so too.
    expect((await api('post', '/api/alert-log/failed/retry')).body).toEqual({ retried: 0 });
    const again = output();
    expect(await runCli(['retry-failed-alerts'], env, again, output())).toBe(0);
    expect(again.text()).toContain('no failed alert batches');
  });

  it('when the command line is misused, then it says how, with its exit code', async () => {
    const err = output();
    expect(await runCli(['frobnicate'], env, output(), err)).toBe(2);
    expect(err.text()).toContain('unknown command: frobnicate');
    expect(await runCli(['failed-alerts', '--limit', 'lots'], env, output(), output())).toBe(2);
    const config = output();
    expect(await runCli(['failed-alerts'], { ...env, API_TOKEN: '' }, output(), config)).toBe(78);
    expect(config.text()).toContain('API_TOKEN');
  });
});
