/** Notifications to ops: scheduled deliveries -> BullMQ -> worker -> local HTTP servers standing in for targets. */
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { NotificationMessage } from '../../src/domain/notification-messages';
import { scheduleNotification, type NotifyDeps } from '../../src/use-cases/notify';
import { newIncident as buildIncident } from '../../src/domain/incident-building';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { makeAlert } from '../helpers/alerts';
import { startPipeline, type Pipeline } from '../helpers/pipeline';
import { freePort } from '../helpers/servers';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A local HTTP server; `answer` picks the status from the path and how often this delivery came before. */
async function startReceiver(answer: (path: string, nth: number) => number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const path = req.url ?? '';
      const nth = received.filter((r) => r.path === path && r.headers['idempotency-key'] === key).length;
      const status = answer(path, nth + 1);
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString(), status });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `no: ${path}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    of: (deliveryId: string) => received.filter((r) => r.headers['idempotency-key'] === deliveryId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

/**
 * A target that, once told to hold, takes each request and answers nothing until released: a hung receiver,
 * the worst a slow target can do to the others. It answers 200 at once when not holding.
 */
async function startHangingReceiver() {
  const held: http.ServerResponse[] = [];
  let holding = false;
  const server = http.createServer((req, res) => {
    req.resume();
    if (holding) held.push(res);
    else res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    hold: () => {
      holding = true;
    },
    /** Requests taken and still unanswered, their connections open. */
    hanging: () => held.filter((res) => !res.writableEnded && !res.destroyed).length,
    /** Answers the held requests 200, and answers later ones at once. */
    release: () => {
      holding = false;
      for (const res of held.splice(0))
        if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    },
    /** Stops listening and destroys every socket, held ones included, so nothing keeps jest waiting. */
    close: () =>
      new Promise<void>((resolve) => {
        holding = false;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** How the generic receiver answers, by path (200 for any other). */
const ANSWERS: Record<string, (nth: number) => number> = {
  '/flaky-secret': (nth) => (nth <= 2 ? 503 : 200),
  '/broken-secret': () => 500,
  '/gone-secret': () => 404,
};

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let slack: Receiver;
let hooks: Receiver;
let hung: Awaited<ReturnType<typeof startHangingReceiver>>;
let downUrl: string;
let pipeline: Pipeline;
let deps: NotifyDeps;
let dir: string;

beforeAll(async () => {
  slack = await startReceiver(() => 200);
  hooks = await startReceiver((p, nth) => ANSWERS[p]?.(nth) ?? 200);
  hung = await startHangingReceiver();
  downUrl = `http://127.0.0.1:${await freePort()}/down-secret`; // nothing listens there
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-notify-'));
  const file = path.join(dir, 'targets.json');
  const targets: [string, string, string, string[]][] = [
    // The failing and hanging targets first: were targets served in turn, Slack would wait behind them.
    ['hanging', 'webhook', hung.url('/hang-secret'), ['incident.resolved']],
    ['down', 'webhook', downUrl, ['incident.resolved']],
    ['broken', 'webhook', hooks.url('/broken-secret'), ['incident.resolved']],
    [
      'ops-slack',
      'slack',
      slack.url('/services/T0/B0/slack-secret'),
      ['postmortem.drafted', 'incident.resolved'],
    ],
    ['flaky', 'webhook', hooks.url('/flaky-secret'), ['incident.opened']],
    ['gone', 'webhook', hooks.url('/gone-secret'), ['incident.opened']],
  ];
  const json = targets.map(([id, type, url, events]) => ({ id, type, url, events }));
  fs.writeFileSync(
    file,
    JSON.stringify(json.map((t) => (t.id === 'flaky' ? { ...t, headers: { 'X-Extra': 'x1' } } : t))),
  );
  pipeline = await startPipeline({
    env: {
      NOTIFY_WEBHOOK_URLS: hooks.url('/hook-secret'),
      NOTIFY_TARGETS_FILE: file,
      NOTIFY_BACKOFF_MS: '50',
      NOTIFY_ATTEMPTS: '4',
      NOTIFY_TIMEOUT_MS: '3000',
    },
  });
  deps = {
    targets: pipeline.config.notifyTargets,
    deliveries: pipeline.repositories.deliveries,
    queue: pipeline.notifications,
    now: () => new Date(),
  };
});
afterAll(async () => {
  // The hanging receiver first: a delivery it still holds would keep the worker from closing.
  await hung.close();
  await pipeline.close();
  await Promise.all([slack.close(), hooks.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

let monitorSeq = 9000;
/**
 * A real incident, written straight through the repository: opened through the webhook, it would also set
 * off the pipeline's own notifications (incident.opened), which would blur what each test counts.
 */
async function newIncident(): Promise<string> {
  const monitorId = String((monitorSeq += 1));
  const alert = makeAlert({
    transition: 'triggered',
    at: '2026-06-14T10:02:00.000Z',
    groupKey: `datadog:monitor:${monitorId}`,
  });
  const rules = routingRulesFrom(pipeline.config);
  const incident = buildIncident(
    IncidentRepository.newId(),
    alert.groupKey,
    [{ alert, receivedAt: new Date() }],
    rules,
    new Date(),
  );
  expect(await pipeline.repositories.incidents.insertCurrent(incident)).toBe('inserted');
  return incident.id;
}

function messageAbout(incidentId: string, event: NotificationMessage['event']): NotificationMessage {
  return {
    event,
    subjectId: incidentId,
    title: 'Postmortem draft: High error rate on web',
    text: 'Resolved after 47 minutes & 2 hosts <web-1, web-2>.',
    url: `http://localhost:3000/incidents/${incidentId}`,
    data: { incident: { id: incidentId }, markdown: '# Postmortem' },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

type DeliveryJson = {
  id: string;
  targetId: string;
  status: string;
  attempts: number;
  lastError: string | null;
};
async function deliveriesOf(incidentId: string): Promise<Record<string, DeliveryJson>> {
  const res = await pipeline.api(`/api/incidents/${incidentId}/deliveries`);
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.items as DeliveryJson[]).map((d) => [d.targetId, d]));
}

it('when a postmortem is drafted, then Slack and the webhook receive it with their bodies and headers', async () => {
  const incidentId = await newIncident();
  const ids = await scheduleNotification(deps, messageAbout(incidentId, 'postmortem.drafted'), 1);
  expect(ids).toEqual([
    `postmortem.drafted|${incidentId}|1|webhook-1`,
    `postmortem.drafted|${incidentId}|1|ops-slack`,
  ]);
  await pipeline.drain();

  const [toSlack] = slack.of(ids[1]!);
  expect(toSlack).toMatchObject({ path: '/services/T0/B0/slack-secret' });
  expect(toSlack!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Hindsight' });
  const slackBody = JSON.parse(toSlack!.body) as { text: string; blocks: { type: string }[] };
  expect(slackBody.text).toContain('&amp; 2 hosts &lt;web-1, web-2&gt;');
  expect(slackBody.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section']);

  const [toHook] = hooks.of(ids[0]!);
  expect(toHook!.path).toBe('/hook-secret');
  expect(toHook!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Hindsight' });
  expect(JSON.parse(toHook!.body)).toMatchObject({
    event: 'postmortem.drafted',
    text: 'Resolved after 47 minutes & 2 hosts <web-1, web-2>.',
    incident: { id: incidentId },
    markdown: '# Postmortem',
    sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });

  // Exactly these fields: no URL, no body.
  const delivered = (targetId: string) => ({
    id: `postmortem.drafted|${incidentId}|1|${targetId}`,
    targetId,
    event: 'postmortem.drafted',
    status: 'delivered',
    attempts: 1,
    lastError: null,
    lastStatusCode: 200,
    createdAt: expect.any(String),
    deliveredAt: expect.any(String),
  });
  const res = await pipeline.api(`/api/incidents/${incidentId}/deliveries`);
  expect(res.body).toEqual({
    items: expect.arrayContaining([delivered('webhook-1'), delivered('ops-slack')]),
  });
  expect(res.body.items).toHaveLength(2);
});

it('when a target answers 503 twice then 200, then it receives the message exactly once; a 404 fails at once', async () => {
  const incidentId = await newIncident();
  const [flakyId, goneId] = await scheduleNotification(deps, messageAbout(incidentId, 'incident.opened'), 0);
  await pipeline.drain();
  const flaky = hooks.of(flakyId!);
  expect(flaky.map((r) => r.status)).toEqual([503, 503, 200]);
  expect(flaky.filter((r) => r.status < 300)).toHaveLength(1);
  expect(flaky[0]!.headers['x-extra']).toBe('x1');
  expect(hooks.of(goneId!).map((r) => r.status)).toEqual([404]);
  const deliveries = await deliveriesOf(incidentId);
  expect(deliveries.flaky).toMatchObject({
    status: 'delivered',
    attempts: 3,
    lastError: 'HTTP 503: no: [redacted]',
  });
  expect(deliveries.gone).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 404 });
});

it('when one target hangs and others are down, then the others still get the message promptly', async () => {
  const incidentId = await newIncident();
  const slackId = `incident.resolved|${incidentId}|1|ops-slack`;
  hung.hold();
  try {
    const started = Date.now();
    const ids = await scheduleNotification(deps, messageAbout(incidentId, 'incident.resolved'), 1);
    expect(ids[0]).toBe(`incident.resolved|${incidentId}|1|hanging`);
    expect(ids).toContain(slackId);
    // Slack is served while the hanging target holds its request (its timeout is NOTIFY_TIMEOUT_MS, 3 s).
    await until('Slack, with the hanging target holding', () => slack.of(slackId).length > 0, 3_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    await until('the hanging target to hold a request', () => hung.hanging() > 0, 1_000);
  } finally {
    hung.release();
  }
  await pipeline.drain();
  expect(slack.of(slackId)).toHaveLength(1);
  const deliveries = await deliveriesOf(incidentId);
  expect(deliveries['ops-slack']).toMatchObject({ status: 'delivered', attempts: 1 });
  // Released within its timeout, the held request is answered: delivered on its first attempt.
  expect(deliveries.hanging).toMatchObject({ status: 'delivered', attempts: 1 });
});

it('when a target always fails, then its delivery ends failed, shown by the API and logged without its URL', async () => {
  const incidentId = await newIncident();
  await scheduleNotification(deps, messageAbout(incidentId, 'incident.resolved'), 1);
  await pipeline.drain();
  const deliveries = await deliveriesOf(incidentId);
  expect(deliveries.down).toMatchObject({
    status: 'failed',
    attempts: 4,
    lastError: 'network error: ECONNREFUSED',
  });
  expect(deliveries.broken).toMatchObject({ status: 'failed', attempts: 4, lastStatusCode: 500 });
  expect(deliveries['ops-slack']).toMatchObject({ status: 'delivered', attempts: 1 });

  const errors = pipeline.logLines
    .map((line) => JSON.parse(line) as { level: number; targetId?: string; deliveryId?: string; msg: string })
    .filter((l) => l.level === 50 && l.deliveryId?.includes(incidentId));
  expect(errors.map((l) => l.targetId).sort()).toEqual(['broken', 'down']);
  const everything = [pipeline.logLines.join(''), JSON.stringify(deliveries)].join('');
  for (const secret of ['secret', downUrl, hooks.url(''), slack.url(''), hung.url('')])
    expect(everything).not.toContain(secret);
});

it('when the same message is scheduled twice, then it is delivered once; a new revision is delivered again', async () => {
  const incidentId = await newIncident();
  const message = messageAbout(incidentId, 'postmortem.drafted');
  const [first, again] = await Promise.all([
    scheduleNotification(deps, message, 1),
    scheduleNotification(deps, message, 1),
  ]);
  expect(again).toEqual(first);
  await pipeline.drain();
  expect(await scheduleNotification(deps, message, 1)).toEqual(first);
  await pipeline.drain();
  for (const id of first) expect([...slack.of(id), ...hooks.of(id)]).toHaveLength(1);

  const redraft = await scheduleNotification(deps, message, 2);
  await pipeline.drain();
  for (const id of redraft) expect([...slack.of(id), ...hooks.of(id)]).toHaveLength(1);
  const res = await pipeline.api(`/api/incidents/${incidentId}/deliveries`);
  expect(res.body.items).toHaveLength(4);
});

it('when the incident does not exist, then its deliveries are a 404', async () => {
  expect((await pipeline.api('/api/incidents/6b0459a1772a8ca6f6e25918/deliveries')).status).toBe(404);
  expect((await pipeline.api('/api/incidents/not-an-id/deliveries')).status).toBe(404);
});
