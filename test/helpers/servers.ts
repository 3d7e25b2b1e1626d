/**
 * Servers for integration tests. Jest's global setup (scripts/test-services.mjs) provides REDIS_URL and
 * MONGODB_URI; each test file takes its own database and its own randomly named queues on them. A test that
 * stops Redis starts its own redis-server with startRedisServer(): never the shared one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';

const TMP = path.resolve(__dirname, '..', '..', '.tmp');

function requiredEnv(name: 'REDIS_URL' | 'MONGODB_URI'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run integration tests through \`npm test\` (jest's global setup starts the servers), ` +
        'or export the lines `node scripts/test-services.mjs start` prints',
    );
  }
  return value;
}

/** `${prefix}_${random}`: letters, digits and `_` only, at most 37 characters. */
function randomName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 24);
  return `${clean}_${randomBytes(6).toString('hex')}`;
}

/** MONGODB_URI with a database of its own (`${prefix}_${random}`); the credentials keep their auth database. */
export function testMongoUri(prefix: string): string {
  const uri = requiredEnv('MONGODB_URI');
  const m = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`MONGODB_URI is not a mongodb:// URI: ${uri}`);
  const [, scheme = '', hosts = '', dbPath = '', query = ''] = m;
  const params = new URLSearchParams(query.slice(1));
  if (hosts.includes('@') && !params.has('authSource')) {
    params.set('authSource', decodeURIComponent(dbPath.slice(1)) || 'admin');
  }
  const q = params.toString();
  return `${scheme}${hosts}/${randomName(prefix)}${q ? `?${q}` : ''}`;
}

export function testRedisUrl(): string {
  return requiredEnv('REDIS_URL');
}

/** A random name for a BullMQ queue or prefix: `${prefix}_${random}` (no `:`). */
export function uniqueName(prefix: string): string {
  return randomName(prefix);
}

/** Drops the database named in `uri`; for the end of a test file. */
export async function dropTestDatabase(uri: string): Promise<void> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** True if a Redis at `url` answers PING within `timeoutMs`: one attempt, no reconnects, no queued commands. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // After a failed connect the client has ended: disconnect() would arm a 2 s timer that keeps Node alive.
    if (client.status !== 'end') client.disconnect();
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

/** Kills a server of the test's own (SIGKILL) and resolves once it has exited and its port is closed. */
export async function killAndAwaitPortClosed(
  proc: ChildProcess | undefined,
  port: number,
  timeoutMs: number,
) {
  if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  await waitFor(`port ${port} did not close`, timeoutMs, async () => !(await portOpen(port)));
}

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL) and resolves once its port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder (with `appendOnly`, stop() keeps the folder: it holds the data). */
  remove(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * `--appendonly yes --appendfsync always`, as the docker-compose Redis runs: every write is on disk before
   * Redis answers, so what was accepted before a SIGKILL is there again after start(). Default: no persistence.
   */
  appendOnly?: boolean;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A redis-server of this test's own on a free loopback port, for tests that stop Redis. Call stop() at the end. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = path.join(TMP, `redis-test-${port}`);
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) throw new Error(`redis-server on port ${port} is already running`);
    fs.mkdirSync(dir, { recursive: true });
    const persistence = options.appendOnly ? ['yes', '--appendfsync', 'always'] : ['no'];
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      ...persistence,
    ];
    const proc = spawn('redis-server', [...args, '--dir', dir], { stdio: 'ignore' });
    child = proc;
    running.add(proc);
    let failure: Error | undefined;
    proc.once('error', (err: NodeJS.ErrnoException) => {
      failure =
        err.code === 'ENOENT'
          ? new Error('redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)')
          : err;
    });
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      failure ??= new Error(`redis-server on port ${port} exited (${code ?? signal})`);
    });
    try {
      await waitFor(`redis-server did not answer on port ${port}`, 10_000, async () => {
        if (failure) throw failure;
        return redisAnswers(url, 500);
      });
    } catch (err) {
      await stop();
      throw err;
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    await killAndAwaitPortClosed(proc, port, 5000);
    if (!options.appendOnly) fs.rmSync(dir, { recursive: true, force: true });
  };

  const remove = async (): Promise<void> => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };

  await start();
  return { url, port, start, stop, remove };
}
