/**
 * A FerretDB of a test's own, for tests that stop the database: its own loopback port, its own PostgreSQL
 * database and its own state folder under .tmp/. stop() kills it and start() brings it back on the same port,
 * over the same PostgreSQL database, so the data survives a restart as it would on a real server. Never the
 * shared test server (MONGODB_URI), which other test files use.
 *
 * The binary is the project's atomic build (scripts/ferretdb/build.sh, as scripts/test-services.mjs uses it):
 * FERRETDB_BIN if set, else the cached build, else built now. PostgreSQL: PGHOST, PGPORT, PGUSER, PGPASSWORD
 * (default postgres@127.0.0.1:5432).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, killAndAwaitPortClosed, portOpen, waitFor } from './servers';

const ROOT = path.resolve(__dirname, '..', '..');
const TMP = path.join(ROOT, '.tmp');
const READY_MS = 30_000;
const STOP_MS = 5_000;

export interface FerretDbServer {
  /** mongodb://127.0.0.1:<port>/hindsight */
  uri: string;
  port: number;
  /** Kills the server (SIGKILL) and resolves once its port is closed; the data stays in PostgreSQL. */
  stop(): Promise<void>;
  /** Starts it again on the same port and resolves once the port answers. */
  start(): Promise<void>;
  /** Stops it for good and drops its PostgreSQL database and state folder. */
  remove(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function pg(): { host: string; port: string; user: string } {
  return {
    host: process.env.PGHOST || '127.0.0.1',
    port: process.env.PGPORT || '5432',
    user: process.env.PGUSER || 'postgres',
  };
}

function psql(sql: string): Promise<void> {
  const { host, port, user } = pg();
  const env = { ...process.env, PGHOST: host, PGPORT: port, PGUSER: user, PGDATABASE: 'postgres' };
  return new Promise((resolve, reject) => {
    execFile(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tAc', sql],
      { env: { ...env, PGCONNECT_TIMEOUT: '5' }, timeout: 20_000 },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`psql: ${String(stderr).trim() || err.message}`)) : resolve(),
    );
  });
}

function pgUrl(database: string): string {
  const { host, port, user } = pg();
  const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  return `postgres://${encodeURIComponent(user)}${password}@${host}:${port}/${database}`;
}

/** FERRETDB_BIN, else what scripts/ferretdb/build.sh prints (it reuses the cached build, or builds it once). */
async function ferretBinary(): Promise<string> {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const cached = path.join(os.homedir(), '.cache', 'hindsight', 'ferretdb-1.24.2-atomic');
  if (fs.existsSync(cached)) return cached;
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(ROOT, 'scripts', 'ferretdb', 'build.sh')],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`scripts/ferretdb/build.sh failed: ${String(stderr).slice(-2000)}`))
          : resolve(String(stdout).trim().split('\n').pop()!),
    );
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a FerretDB of the test's own on a free port; call remove() at the end (stop() only pauses it). */
export async function startFerretDb(): Promise<FerretDbServer> {
  const bin = await ferretBinary();
  const port = await freePort();
  const database = `hindsight_fault_${port}`;
  const stateDir = path.join(TMP, `ferretdb-fault-${port}`);
  const logFile = path.join(TMP, `ferretdb-fault-${port}.log`);
  const uri = `mongodb://127.0.0.1:${port}/hindsight`;
  await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await psql(`CREATE DATABASE ${database}`);
  fs.mkdirSync(stateDir, { recursive: true });
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) throw new Error(`FerretDB on port ${port} is already running`);
    const out = fs.openSync(logFile, 'a');
    const proc = spawn(
      bin,
      [
        '--handler=postgresql',
        `--postgresql-url=${pgUrl(database)}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--telemetry=disable',
        `--state-dir=${stateDir}`,
        '--debug-addr=127.0.0.1:0',
        '--log-level=warn',
      ],
      { cwd: stateDir, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    child = proc;
    running.add(proc);
    let failure: Error | undefined;
    proc.once('error', (err) => (failure = err));
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      failure ??= new Error(
        `FerretDB on port ${port} exited (${code ?? signal}); ${logFile}:\n${tail(logFile)}`,
      );
    });
    try {
      await waitFor(`FerretDB did not answer on port ${port}`, READY_MS, async () => {
        if (failure) throw failure;
        return portOpen(port);
      });
    } catch (err) {
      await stop();
      throw err;
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    await killAndAwaitPortClosed(proc, port, STOP_MS);
  };

  const remove = async (): Promise<void> => {
    await stop();
    await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(logFile, { force: true });
  };

  try {
    await start();
  } catch (err) {
    await remove();
    throw err;
  }
  return { uri, port, stop, start, remove };
}
