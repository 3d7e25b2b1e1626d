/**
 * A high-availability pair of real Prometheus Alertmanagers on loopback, as the HA setup runs in production: two
 * processes gossiping to each other (`--cluster.peer` the other), one route to Hindsight's webhook, and
 * postAlerts() sending the same list to both, as Prometheus does. The binary is scripts/alertmanager/build.sh's
 * (ALERTMANAGER_BIN if set): cached in $HOME/.cache/hindsight, else built now, which takes minutes.
 *
 * How an HA pair notifies (notify/dedup_stage.go, app/cluster.go): each peer runs its own aggregation groups
 * and timers, and before a notification a peer waits `position × --cluster.peer-timeout` (position 0 is the
 * first peer name in sort order: `peer-0` here), then checks the notification log the peers gossip: if the
 * other peer's entry for that group, with the same firing and resolved alerts, has arrived, it sends nothing.
 * The entry is written only once a delivery has been answered. So a receiver gets a notification twice, once
 * per peer, whenever that entry reaches the second peer after its wait: a slow answer (what the integration
 * test arranges), a slow or partitioned network, a peer timeout shorter than the gossip. And a second peer whose
 * snapshot predates a resolution, but whose check comes after the first peer's entry for it, sends a stale
 * firing of the resolved alert: likeliest when the peer timeout is close to group_interval. The default of 15 s
 * would make every second-peer notification of a test wait 15 s; `peerTimeout` sets it (Alertmanager refuses
 * 0 when clustered).
 *
 * Contracts: start resolves once both peers answer `/-/ready` and each reports a settled cluster of two
 * (`/api/v2/status`); each delivery's `externalURL` is the sending peer's URL, so a receiver can tell them
 * apart; close() kills both (SIGKILL) and removes their folder, and may be called twice.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, killAndAwaitPortClosed, waitFor } from './servers';

const ROOT = path.resolve(__dirname, '..', '..');
const TMP = path.join(ROOT, '.tmp');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'alertmanager', 'build.sh');
const READY_MS = 30_000;
const STOP_MS = 5_000;
const REQUEST_MS = 5_000;

/** An alert as Prometheus posts it to `POST /api/v2/alerts` (times as ISO 8601 text). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the future while firing; now (or earlier) resolves the alert. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerPairOptions {
  /** Where the one webhook receiver posts: Hindsight's `.../webhooks/alertmanager`. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** `--cluster.peer-timeout`; default `2s`. See the header for what it decides. */
  peerTimeout?: string;
  /** The route's timers; defaults `1s`, `2s`, `1h`. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface AlertmanagerPair {
  /** Each peer's base URL, `peer-0` first: also the `externalURL` of the notifications it sends. */
  urls: readonly [string, string];
  /** Posts the same alerts to both peers at once; rejects unless both answer 200. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** The last lines each peer logged, for failure messages. */
  logTail(lines?: number): string;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** ALERTMANAGER_BIN, else what scripts/alertmanager/build.sh prints (the cached build, or one built now). */
export async function alertmanagerBinary(): Promise<string> {
  if (process.env.ALERTMANAGER_BIN) return process.env.ALERTMANAGER_BIN;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [BUILD_SCRIPT],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err
          ? reject(
              new Error(
                `scripts/alertmanager/build.sh could not build Prometheus Alertmanager (${err.message.split('\n')[0]}):\n` +
                  String(stderr).slice(-2000),
              ),
            )
          : resolve(String(stdout).trim().split('\n').pop()!),
    );
  });
}

/** The Alertmanager config: one route, grouped by alertname, to one webhook receiver that sends resolutions. */
export function pairConfig(options: AlertmanagerPairOptions): string {
  // JSON strings are YAML strings: quoting them so keeps a URL or a token from being read as YAML.
  const q = (text: string) => JSON.stringify(text);
  return [
    'route:',
    '  receiver: hindsight',
    "  group_by: ['alertname']",
    `  group_wait: ${options.groupWait ?? '1s'}`,
    `  group_interval: ${options.groupInterval ?? '2s'}`,
    `  repeat_interval: ${options.repeatInterval ?? '1h'}`,
    'receivers:',
    '  - name: hindsight',
    '    webhook_configs:',
    `      - url: ${q(options.webhookUrl)}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${q(options.token)}`,
    '',
  ].join('\n');
}

interface Peer {
  name: string;
  url: string;
  webPort: number;
  logFile: string;
  child: ChildProcess;
  failure: () => Error | undefined;
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts the pair; call close() at the end. */
export async function startAlertmanagerPair(options: AlertmanagerPairOptions): Promise<AlertmanagerPair> {
  const bin = await alertmanagerBinary();
  const dir = path.join(TMP, `alertmanager-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(configFile, pairConfig(options));
  const ports = [
    { web: await freePort(), cluster: await freePort() },
    { web: await freePort(), cluster: await freePort() },
  ] as const;
  const peers: Peer[] = [];

  const logTail = (lines = 20) =>
    peers.map((p) => `${p.name} (${p.logFile}):\n${tail(p.logFile, lines)}`).join('\n');

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const peer of peers) await killAndAwaitPortClosed(peer.child, peer.webPort, STOP_MS);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    ports.forEach((own, i) => {
      const other = ports[1 - i]!;
      const name = `peer-${i}`;
      const url = `http://127.0.0.1:${own.web}`;
      const storage = path.join(dir, name);
      fs.mkdirSync(storage);
      const logFile = path.join(dir, `${name}.log`);
      const out = fs.openSync(logFile, 'a');
      const child = spawn(
        bin,
        [
          `--config.file=${configFile}`,
          `--storage.path=${storage}`,
          `--web.listen-address=127.0.0.1:${own.web}`,
          `--web.external-url=${url}`,
          `--cluster.listen-address=127.0.0.1:${own.cluster}`,
          `--cluster.advertise-address=127.0.0.1:${own.cluster}`,
          `--cluster.peer=127.0.0.1:${other.cluster}`,
          `--cluster.peer-name=${name}`,
          `--cluster.peer-timeout=${options.peerTimeout ?? '2s'}`,
          // Gossip every 50 ms: the log entries spread fast, and the settling (four polls ten gossip intervals
          // apart, before which a peer sends nothing) takes 2 s instead of 8 s.
          '--cluster.gossip-interval=50ms',
          '--cluster.pushpull-interval=1s',
          '--cluster.settle-timeout=10s',
          '--log.level=debug',
        ],
        { cwd: dir, stdio: ['ignore', out, out] },
      );
      fs.closeSync(out);
      running.add(child);
      let failure: Error | undefined;
      child.once('error', (err) => {
        failure = new Error(
          `could not run Prometheus Alertmanager at ${bin} (${err.message}): ` +
            'scripts/alertmanager/build.sh builds it, or set ALERTMANAGER_BIN to one',
        );
      });
      child.once('exit', (code, signal) => {
        running.delete(child);
        failure ??= new Error(
          `alertmanager ${name} exited (${code ?? signal}); ${logFile}:\n${tail(logFile, 20)}`,
        );
      });
      peers.push({ name, url, webPort: own.web, logFile, child, failure: () => failure });
    });

    for (const peer of peers) {
      await waitFor(`alertmanager ${peer.name} did not answer /-/ready`, READY_MS, async () => {
        const failure = peer.failure();
        if (failure) throw failure;
        return (await fetch(`${peer.url}/-/ready`).catch(() => null))?.ok === true;
      });
    }
    // /-/ready answers as soon as the HTTP server is up; a peer sends nothing before its gossip has settled.
    for (const peer of peers) {
      await waitFor(`alertmanager ${peer.name} did not settle into a cluster of two`, READY_MS, async () => {
        const failure = peer.failure();
        if (failure) throw failure;
        const status = await getJson(`${peer.url}/api/v2/status`).catch(() => null);
        const cluster = (status as { cluster?: { status?: string; peers?: unknown[] } } | null)?.cluster;
        return cluster?.status === 'ready' && cluster.peers?.length === 2;
      });
    }
  } catch (error) {
    const logs = logTail();
    await close();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }

  const urls = [peers[0]!.url, peers[1]!.url] as const;
  return {
    urls,
    async postAlerts(alerts) {
      const body = JSON.stringify(alerts);
      await Promise.all(
        urls.map(async (url) => {
          const response = await fetch(`${url}/api/v2/alerts`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
            signal: AbortSignal.timeout(REQUEST_MS),
          });
          if (response.status !== 200)
            throw new Error(`POST ${url}/api/v2/alerts: ${response.status} ${await response.text()}`);
        }),
      );
    },
    logTail,
    close,
  };
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_MS) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.json();
}
