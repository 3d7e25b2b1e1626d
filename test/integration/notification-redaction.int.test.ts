/**
 * Target URLs are credentials, also their query strings: targets (local HTTP servers) whose error answers echo
 * the request's URL, its query string or one of its values, and what the delivery, the API and the logs keep.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { NotificationMessage } from '../../src/domain/notification-messages';
import { newIncident as buildIncident } from '../../src/domain/incident-building';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { scheduleNotification } from '../../src/use-cases/notify';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { makeAlert } from '../helpers/alerts';
import { startPipeline, type Pipeline } from '../helpers/pipeline';

const PATH_SECRET = 'PathSekret0xA1B2';
const QUERY_SECRET = 'SEKRET123qz';
const SIG_SECRET = 'sig/with+plus';

/** How each target answers: the request URL raw, decoded, or one query value alone. */
const ECHOES: Record<string, { status: number; body: (url: string) => string }> = {
  'echo-url': { status: 400, body: (url) => `bad request to ${url}` },
  'echo-decoded': { status: 500, body: (url) => `failed: ${decodeURIComponent(url)}` },
  'echo-value': {
    status: 403,
    body: (url) => `token ${new URL(url, 'http://x').searchParams.get('token') ?? ''} is not valid`,
  },
  'echo-json': {
    status: 422,
    body: (url) => JSON.stringify({ error: 'unknown hook', query: new URL(url, 'http://x').search }),
  },
};

let server: http.Server;
let base: string;
let pipeline: Pipeline;
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const url = req.url ?? '';
    const echo = ECHOES[url.split('/')[1] ?? ''];
    res
      .writeHead(echo?.status ?? 404, { 'Content-Type': 'text/plain' })
      .end(echo === undefined ? 'no such hook' : echo.body(url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-redact-'));
  const file = path.join(dir, 'targets.json');
  const query = `token=${QUERY_SECRET}&sig=${encodeURIComponent(SIG_SECRET)}&x=1`;
  fs.writeFileSync(
    file,
    JSON.stringify(
      Object.keys(ECHOES).map((id) => ({
        id,
        type: 'webhook',
        url: `${base}/${id}/${PATH_SECRET}?${query}`,
        events: ['incident.opened'],
      })),
    ),
  );
  pipeline = await startPipeline({
    env: {
      NOTIFY_TARGETS_FILE: file,
      NOTIFY_BACKOFF_MS: '50',
      NOTIFY_ATTEMPTS: '2',
      NOTIFY_TIMEOUT_MS: '3000',
    },
  });
});
afterAll(async () => {
  await pipeline.close();
  await new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newIncident(): Promise<string> {
  const alert = makeAlert({
    transition: 'triggered',
    at: '2026-06-14T10:02:00.000Z',
    groupKey: 'datadog:monitor:77',
  });
  const incident = buildIncident(
    IncidentRepository.newId(),
    alert.groupKey,
    [{ alert, receivedAt: new Date() }],
    routingRulesFrom(pipeline.config),
    new Date(),
  );
  expect(await pipeline.repositories.incidents.insertCurrent(incident)).toBe('inserted');
  return incident.id;
}

it('when targets echo their URL, query string or a query value in an error answer, then no secret is stored, shown or logged', async () => {
  const incidentId = await newIncident();
  const message: NotificationMessage = {
    event: 'incident.opened',
    subjectId: incidentId,
    title: 'Opened: High error rate on web',
    text: 'It started.',
    url: `http://localhost:3000/incidents/${incidentId}`,
    data: { incident: { id: incidentId } },
  };
  const ids = await scheduleNotification(
    {
      targets: pipeline.config.notifyTargets,
      deliveries: pipeline.repositories.deliveries,
      queue: pipeline.notifications,
      now: () => new Date(),
    },
    message,
    0,
  );
  expect(ids).toHaveLength(Object.keys(ECHOES).length);
  await pipeline.drain();

  const res = await pipeline.api(`/api/incidents/${incidentId}/deliveries`);
  expect(res.status).toBe(200);
  const items = res.body.items as {
    targetId: string;
    status: string;
    lastError: string;
    lastStatusCode: number;
  }[];
  const byTarget = Object.fromEntries(items.map((d) => [d.targetId, d]));
  for (const [id, echo] of Object.entries(ECHOES)) {
    // The answer was read and kept, minus the secrets (so the test would see a leak).
    expect(byTarget[id]).toMatchObject({ status: 'failed', lastStatusCode: echo.status });
    expect(byTarget[id]!.lastError).toMatch(new RegExp(`^HTTP ${echo.status}: .*\\[redacted\\]`));
  }
  expect(byTarget['echo-value']!.lastError).toBe('HTTP 403: token [redacted] is not valid');

  const stored = await Promise.all(ids.map((id) => pipeline.repositories.deliveries.findById(id)));
  // Every line this file's pipeline logged (the worker's 'job failed' lines too).
  const logs = pipeline.logLines;
  expect(
    logs.filter((line) => line.includes(incidentId) && line.includes('notification delivery failed')).length,
  ).toBeGreaterThanOrEqual(4);
  const everything = [
    JSON.stringify(res.body),
    JSON.stringify(stored.map((d) => d?.lastError)),
    ...logs,
  ].join('\n');
  for (const secret of [PATH_SECRET, QUERY_SECRET, SIG_SECRET, encodeURIComponent(SIG_SECRET), base])
    expect(everything.toLowerCase()).not.toContain(secret.toLowerCase());
});
