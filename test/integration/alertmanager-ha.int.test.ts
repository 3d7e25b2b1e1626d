/**
 * A real high-availability pair of Prometheus Alertmanagers (test/helpers/alertmanager.ts) notifying the real
 * pipeline, driven as Prometheus drives it: every alert posted to both peers. Two alerts of one rule fire,
 * resolve one by one, and every notification reaches Hindsight twice, once from each peer: one incident opens,
 * stays open while one alert is left firing, resolves once with a postmortem draft, and each event is applied
 * once; a stale firing after the resolution reopens nothing.
 *
 * Whether the second peer sends at all is a race between its wait (`--cluster.peer-timeout`) and the gossip of
 * the first peer's notification log, which is written only once a delivery has been answered. The receiver in
 * front of Hindsight holds each answer for HOLD_MS, longer than the peer timeout: the second peer then never
 * knows in time, and every notification is delivered twice, as it would be behind a slow or partitioned
 * network. The binary comes from scripts/alertmanager/build.sh (CI builds it first); a missing binary fails.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Incident } from '../../src/domain/incident';
import { storedIncidents } from '../helpers/stored-incidents';
import { startAlertmanagerPair, type AlertmanagerPair, type PostableAlert } from '../helpers/alertmanager';
import { WEBHOOK_TOKEN, startPipeline, type Pipeline } from '../helpers/pipeline';

jest.setTimeout(120_000);

const PEER_TIMEOUT = '200ms';
const HOLD_MS = 1_000;
const GROUP_INTERVAL_MS = 2_000;
const WAIT_MS = 30_000;
/** Building Alertmanager when it is not cached takes minutes: the hook that may do it gets them. */
const SETUP_MS = 15 * 60_000;

interface AlertLogDoc {
  _id: string;
  source: string;
  eventId: string;
  status: string;
  incidentId: string | null;
}

/** One webhook request from a peer, as the receiver in front of Hindsight saw it. */
interface Delivery {
  at: number;
  /** The sending peer's URL (the notification's externalURL). */
  peer: string;
  /** `firing|web-1=resolved,web-2=firing`: what the notification said, the same from either peer. */
  notification: string;
  /** Hindsight's status code. */
  answer: number;
  body: string;
}

let pipeline: Pipeline;
let app: http.Server;
let front: http.Server;
let frontUrl: string;
let pair: AlertmanagerPair;
const deliveries: Delivery[] = [];

function notificationOf(body: string): { peer: string; notification: string } {
  const parsed = JSON.parse(body) as {
    externalURL: string;
    status: string;
    alerts: { status: string; labels: Record<string, string> }[];
  };
  const alerts = parsed.alerts.map((a) => `${a.labels.instance}=${a.status}`).sort();
  return { peer: parsed.externalURL, notification: `${parsed.status}|${alerts.join(',')}` };
}

/** Forwards each request to Hindsight at once and records it, then holds Hindsight's answer for HOLD_MS. */
function frontServer(appPort: number): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(
        { host: '127.0.0.1', port: appPort, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const answered: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answered.push(chunk));
          answer.on('end', () => {
            deliveries.push({
              at: Date.now(),
              ...notificationOf(body.toString()),
              answer: answer.statusCode ?? 0,
              body: body.toString(),
            });
            setTimeout(() => {
              res.writeHead(answer.statusCode ?? 502, { 'Content-Type': 'application/json' });
              res.end(Buffer.concat(answered));
            }, HOLD_MS);
          });
        },
      );
      upstream.on('error', (error) => res.writeHead(502).end(error.message));
      upstream.end(body);
    });
  });
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: http.Server | undefined): Promise<void> {
  if (server === undefined || !server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

beforeAll(async () => {
  pipeline = await startPipeline();
  app = http.createServer(pipeline.app);
  const appPort = await listen(app);
  front = frontServer(appPort);
  frontUrl = `http://127.0.0.1:${await listen(front)}`;
  pair = await startAlertmanagerPair({
    webhookUrl: `${frontUrl}/webhooks/alertmanager`,
    token: WEBHOOK_TOKEN,
    peerTimeout: PEER_TIMEOUT,
    groupWait: '1s',
    groupInterval: `${GROUP_INTERVAL_MS / 1000}s`,
    repeatInterval: '1h',
  });
}, SETUP_MS);

afterAll(async () => {
  await pair?.close();
  await stop(front);
  await stop(app);
  await pipeline?.close();
});

const incidents = () => storedIncidents(pipeline.mongo, { source: 'alertmanager' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The incident's alert for one instance (its scope holds the labels the group is not keyed by). */
function alertOf(incident: Incident, instance: string) {
  return incident.alerts.find((a) => (a.scope ?? '').split(',').includes(`instance=${instance}`));
}

function describeDeliveries(): string {
  return deliveries
    .map((d) => `  +${d.at - deliveries[0]!.at} ms ${d.peer} ${d.notification} -> ${d.answer}`)
    .join('\n');
}

/** Drains and reads the source's incidents until `done` holds; throws what it saw at the deadline. */
async function waitForIncidents(what: string, done: (found: Incident[]) => boolean): Promise<Incident[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await pipeline.drain();
    const found = await incidents();
    if (done(found)) return found;
    if (Date.now() > deadline) {
      const seen = found.map((i) => ({ status: i.status, alerts: i.alerts }));
      throw new Error(
        `${what} within ${WAIT_MS / 1000} s; incidents: ${JSON.stringify(seen)}\n` +
          `deliveries:\n${describeDeliveries() || '  (none)'}\n${pair.logTail(10)}`,
      );
    }
    await sleep(100);
  }
}

/** Waits until both peers have delivered the notification (`firing|web-1=firing,...`). */
async function waitForBothPeers(notification: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const peers = new Set(deliveries.filter((d) => d.notification === notification).map((d) => d.peer));
    if (pair.urls.every((url) => peers.has(url))) return;
    if (Date.now() > deadline)
      throw new Error(
        `${notification} was not delivered by both peers within ${WAIT_MS / 1000} s; deliveries:\n` +
          `${describeDeliveries() || '  (none)'}\n${pair.logTail(10)}`,
      );
    await sleep(50);
  }
}

/**
 * Posts again, through the receiver, what the second peer sent for `notification`: the stale firing an HA pair
 * sends when the second peer's snapshot predates a resolution the first peer's log entry already announced.
 */
async function replayFromSecondPeer(notification: string): Promise<void> {
  const sent = deliveries.find((d) => d.peer === pair.urls[1] && d.notification === notification);
  if (sent === undefined) throw new Error(`the second peer never sent ${notification}`);
  const replay = await fetch(`${frontUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${WEBHOOK_TOKEN}`, 'Content-Type': 'application/json' },
    body: sent.body,
  });
  expect(replay.status).toBe(202);
  await pipeline.drain();
}

describe('an HA pair of Prometheus Alertmanagers', () => {
  it('when two alerts of one rule fire and resolve one by one and each peer delivers every notification, then one incident opens, resolves once with a draft, and applies each event once', async () => {
    const startsAt = new Date().toISOString();
    const firingUntil = new Date(Date.now() + 5 * 60_000).toISOString();
    const alert = (instance: string, endsAt: string): PostableAlert => ({
      labels: { alertname: 'CheckoutErrorRate', instance, severity: 'critical', service: 'checkout' },
      annotations: { summary: 'Checkout error rate above 5%', description: `5xx rate high on ${instance}` },
      startsAt,
      endsAt,
      generatorURL: 'http://prometheus.example.com/graph?g0.expr=checkout_errors',
    });

    // Both fire: one open incident of the source, both alerts firing.
    await pair.postAlerts([alert('web-1', firingUntil), alert('web-2', firingUntil)]);
    const [opened] = await waitForIncidents(
      'one open incident with two alerts firing',
      (found) =>
        found.length === 1 &&
        found[0]!.status === 'open' &&
        found[0]!.alerts.length === 2 &&
        found[0]!.alerts.every((a) => a.status === 'triggered'),
    );
    await waitForBothPeers('firing|web-1=firing,web-2=firing');

    // web-1 resolves: the incident stays open, web-1 recovered, web-2 still firing.
    await pair.postAlerts([alert('web-1', new Date().toISOString())]);
    const [partly] = await waitForIncidents(
      'the incident open with web-1 recovered',
      (found) => found.length === 1 && alertOf(found[0]!, 'web-1')?.status === 'recovered',
    );
    expect([partly!.status, alertOf(partly!, 'web-2')?.status]).toEqual(['open', 'triggered']);
    await waitForBothPeers('firing|web-1=resolved,web-2=firing');
    // The second peer's stale firing that lists web-1 firing again (its snapshot taken before the resolution):
    // the first firing again, so web-1 stays recovered.
    await replayFromSecondPeer('firing|web-1=firing,web-2=firing');
    const [stillPartly] = await incidents();
    expect([stillPartly!.status, alertOf(stillPartly!, 'web-1')?.status]).toEqual(['open', 'recovered']);

    // web-2 resolves: the incident resolves and gets its postmortem draft.
    await pair.postAlerts([alert('web-2', new Date().toISOString())]);
    const [resolved] = await waitForIncidents(
      'the incident resolved',
      (found) => found.length === 1 && found[0]!.status === 'resolved',
    );
    expect(resolved!.id).toBe(opened!.id);
    // Recorded once Hindsight answered, so before the incident it resolved.
    const resolution = deliveries.find((d) => d.notification.startsWith('resolved|'))!.notification;
    await waitForBothPeers(resolution);

    // A peer may still send a firing of the resolved episode: a few group intervals give the pair the chance,
    // and then the second peer's last firing is replayed for sure.
    await sleep(3 * GROUP_INTERVAL_MS + HOLD_MS);
    await replayFromSecondPeer('firing|web-1=resolved,web-2=firing');

    // Each of the three notifications came from both peers, and Hindsight accepted every copy.
    const notifications = [
      'firing|web-1=firing,web-2=firing',
      'firing|web-1=resolved,web-2=firing',
      resolution,
    ];
    const peersOf = (n: string) => [
      ...new Set(deliveries.filter((d) => d.notification === n).map((d) => d.peer)),
    ];
    expect(notifications.map((n) => [n, peersOf(n).sort()])).toEqual(
      notifications.map((n) => [n, [...pair.urls].sort()]),
    );
    expect(deliveries.every((d) => d.answer === 202)).toBe(true);

    // One incident, resolved once: nothing reopened it, nothing opened a second.
    const [final, ...others] = await incidents();
    expect(others).toEqual([]);
    expect([final!.status, final!.resolutionCount]).toEqual(['resolved', 1]);
    expect(await pipeline.mongo.collection('postmortems').countDocuments({ _id: final!.id } as object)).toBe(
      1,
    );

    // Four events (two firings, two resolutions), each applied once however often it was delivered.
    const timesById = new Map<string, number>();
    for (const e of final!.events) timesById.set(e.eventId, (timesById.get(e.eventId) ?? 0) + 1);
    expect([...timesById.values()]).toEqual([1, 1, 1, 1]);
    expect(final!.events.map((e) => e.transition).sort()).toEqual([
      'recovered',
      'recovered',
      'triggered',
      'triggered',
    ]);

    // The alert log holds each of those events once (a redelivery is the same record), all applied to it.
    const logged = await pipeline.mongo
      .collection<AlertLogDoc>('alert_log')
      .find({ source: 'alertmanager' })
      .toArray();
    expect(logged.map((l) => l.eventId).sort()).toEqual([...timesById.keys()].sort());
    expect(logged.map((l) => [l.status, l.incidentId])).toEqual(logged.map(() => ['applied', final!.id]));
    // Far more deliveries than events: two per notification, plus the two replays.
    expect(deliveries.length).toBeGreaterThanOrEqual(2 * notifications.length + 2);
  });
});
