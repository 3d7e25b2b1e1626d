#!/usr/bin/env node
// The servers the tests need: a Redis and a MongoDB-wire server that keeps single-document atomicity.
//
//   node scripts/test-services.mjs start    reuse or start them; prints `export REDIS_URL=...` lines (eval them)
//   node scripts/test-services.mjs stop     stop what `start` started (recorded in .tmp/test-services.json)
//   node scripts/test-services.mjs status   what is recorded, and whether it answers
//
// Jest's global setup and scripts/dev.mjs import startTestServices()/stopTestServices() instead.
// Plain Node ESM so it runs before anything is compiled. Logs go to stderr, the exports to stdout.
//
// Choice of servers, in order: REDIS_URL / MONGODB_URI if they answer (defaults redis://127.0.0.1:6379 and
// mongodb://127.0.0.1:27017/hindsight); else servers a `start` left running; else a redis-server of our own
// and FerretDB 1.24 with the atomic patch (scripts/ferretdb/build.sh) over PostgreSQL (PGHOST, PGPORT, PGUSER,
// PGPASSWORD; default postgres@127.0.0.1:5432), each on a free loopback port. The chosen MongoDB-wire server
// must pass scripts/ferretdb/check.mjs, or nothing runs. Only processes started here are ever stopped.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAtomicity, formatResults } from './ferretdb/check.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, '.tmp');
/** Where `start` (the CLI) records what it started, for `stop` in another process. */
export const CLI_STATE_FILE = path.join(TMP, 'test-services.json');
const OWNED_STATE = /^test-services\.(\d+)\.json$/; // in-process owners (jest, dev.mjs): swept once they are gone
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_MONGODB_URI = 'mongodb://127.0.0.1:27017/hindsight';
const CHECK_DATABASE = 'hindsight_atomicity_check';
const LIMITS = { build: 15 * 60_000, ferretReady: 30_000, redisReady: 10_000, check: 60_000, stop: 8_000 };

const log = (msg) => process.stderr.write(`[test-services] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- probes

/** True if a Redis at `url` answers PING within `timeoutMs`; one attempt, no reconnects. */
export async function redisAnswers(url, timeoutMs = 1000) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), timeoutMs + 200, 'timeout');
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // After a failed connect the client has ended: disconnect() would arm a 2 s timer that keeps Node alive.
    if (client.status !== 'end') client.disconnect();
  }
}

/** True if a MongoDB-wire server at `uri` answers `ping` within about `timeoutMs`. */
export async function mongoAnswers(uri, timeoutMs = 1500) {
  // One plain host: a refused TCP connection answers at once, where the driver would wait out its timeout.
  const single = /^mongodb:\/\/(?:[^@/]*@)?([^,/:?]+|\[[^\]]+\])(?::(\d+))?(?:[/?]|$)/.exec(uri);
  if (single && !(await portOpen(Number(single[2] ?? 27017), single[1].replace(/^\[|\]$/g, ''), timeoutMs))) {
    return false;
  }
  const { MongoClient } = await import('mongodb');
  let client;
  try {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
    await withTimeout(client.db('admin').command({ ping: 1 }), timeoutMs + 500, 'timeout');
    return true;
  } catch {
    return false;
  } finally {
    await client?.close().catch(() => {});
  }
}

/** `uri` with its database name replaced; keeps the credentials' auth database. */
export function withDatabase(uri, name) {
  const m = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`not a mongodb:// URI: ${uri}`);
  const [, scheme, hosts, dbPath = '', query = ''] = m;
  const params = new URLSearchParams(query.slice(1));
  if (hosts.includes('@') && !params.has('authSource')) {
    params.set('authSource', decodeURIComponent(dbPath.slice(1)) || 'admin');
  }
  const q = params.toString();
  return `${scheme}${hosts}/${name}${q ? `?${q}` : ''}`;
}

const redact = (url) => url.replace(/\/\/[^@/]*@/, '//***@');

function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function findExecutable(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir || '.', name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- processes

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): kill(0) said it exists
  }
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

/** Whether `pid` is still the process we recorded (pids get reused): its command line names its port. */
function isOurs(entry) {
  if (!entry?.started || !entry.pid || !isAlive(entry.pid)) return false;
  const cmd = commandLine(entry.pid);
  return entry.kind === 'ferretdb'
    ? cmd.includes(`--listen-addr=127.0.0.1:${entry.port}`)
    : cmd.includes('redis-server') &&
        (cmd.includes(`:${entry.port}`) || cmd.includes(`--port ${entry.port}`));
}

async function stopProcess(entry, child) {
  // A child of this process that has not exited is ours for sure; otherwise check the recorded pid.
  const ownChild = child && child.exitCode === null && child.signalCode === null;
  if (!ownChild && !isOurs(entry)) return false;
  const signal = async (sig, ms) => {
    try {
      process.kill(entry.pid, sig);
    } catch {
      return true;
    }
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (!isAlive(entry.pid)) return true;
    return !isAlive(entry.pid);
  };
  if (!(await signal('SIGTERM', LIMITS.stop)) && !(await signal('SIGKILL', 2000))) {
    throw new Error(`${entry.kind} (pid ${entry.pid}) did not stop`);
  }
  return true;
}

/** The ChildProcess of each service entry this process started. */
const children = new WeakMap();

function spawnServer(command, args, { logFile, cwd, detached }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, detached, stdio: ['ignore', out, out] });
    child.on('error', () => {}); // reported through exitCode / the wait below
    child.unref();
    return child;
  } finally {
    fs.closeSync(out);
  }
}

/** Polls `ready()` until true; fails early, with the log's tail, if the child exits. */
async function waitUntil(ready, { child, timeoutMs, what, logFile }) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited (${child.exitCode ?? child.signalCode}) while starting; ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s; ${logFile}:\n${tail(logFile)}`);
}

// ---------------------------------------------------------------- Redis

async function startRedis({ detached }) {
  const bin = findExecutable('redis-server');
  if (!bin) {
    throw new Error(
      `no Redis answers at REDIS_URL (${redact(process.env.REDIS_URL || DEFAULT_REDIS_URL)}) and redis-server is ` +
        'not installed: install Redis 6.2+ (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
        'or set REDIS_URL to a running Redis',
    );
  }
  const port = await freePort();
  const dir = path.join(TMP, `redis-${port}`);
  const logFile = path.join(TMP, `redis-${port}.log`);
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = spawnServer(bin, [...args, '--logfile', logFile], { logFile, cwd: dir, detached });
  const entry = {
    kind: 'redis',
    started: true,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    port,
    dir,
    logFile,
  };
  children.set(entry, child);
  try {
    await waitUntil(() => redisAnswers(entry.url, 500), {
      child,
      timeoutMs: LIMITS.redisReady,
      what: 'redis-server',
      logFile,
    });
  } catch (err) {
    await cleanUp(entry, { keepLog: true });
    throw err;
  }
  return entry;
}

// ---------------------------------------------------------------- PostgreSQL + FerretDB

function pgSettings() {
  return {
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || 'postgres',
  };
}

function psql(pg, sql) {
  const env = {
    ...process.env,
    PGHOST: pg.host,
    PGPORT: String(pg.port),
    PGUSER: pg.user,
    PGDATABASE: 'postgres',
  };
  env.PGCONNECT_TIMEOUT = '5';
  return new Promise((resolve, reject) => {
    execFile(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tAc', sql],
      { env, timeout: 20_000 },
      (err, stdout, stderr) =>
        err ? reject(Object.assign(err, { stderr: String(stderr).trim() })) : resolve(String(stdout).trim()),
    );
  });
}

async function ensurePostgres(pg) {
  if (!findExecutable('psql')) {
    throw new Error(
      'psql (the PostgreSQL client) is needed to prepare FerretDB, the MongoDB-wire test server: install it ' +
        '(Debian/Ubuntu: apt-get install postgresql-client), or set MONGODB_URI to a running MongoDB 7',
    );
  }
  try {
    await psql(pg, 'SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL does not answer at ${pg.user}@${pg.host}:${pg.port} (${err.stderr || err.message}). FerretDB, the ` +
        'MongoDB-wire test server, stores its data there: start PostgreSQL 14+ (e.g. `pg_ctlcluster <version> main ' +
        'start`) or set PGHOST/PGPORT/PGUSER/PGPASSWORD, or set MONGODB_URI to a running MongoDB 7',
    );
  }
}

function pgUrl(pg, database) {
  const user = encodeURIComponent(pg.user);
  const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  return pg.host.startsWith('/')
    ? `postgres://${user}${password}@/${database}?host=${encodeURIComponent(pg.host)}&port=${pg.port}`
    : `postgres://${user}${password}@${pg.host}:${pg.port}/${database}`;
}

/** The patched FerretDB binary: FERRETDB_BIN if set, else build.sh's (built once, then cached). */
async function ferretBinary() {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const started = Date.now();
  const script = path.join(ROOT, 'scripts', 'ferretdb', 'build.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderrTail = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    process.stderr.write(d);
    stderrTail = [...stderrTail, ...String(d).split('\n')].slice(-20);
  });
  const code = await withTimeout(
    new Promise((resolve) => child.on('close', resolve)),
    LIMITS.build,
    `building FerretDB took over ${LIMITS.build / 60_000} min (scripts/ferretdb/build.sh)`,
  ).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  if (code !== 0) {
    throw new Error(
      `building FerretDB failed (scripts/ferretdb/build.sh exited ${code}):\n${stderrTail.join('\n').trim()}`,
    );
  }
  const bin = stdout.trim().split('\n').pop();
  if (Date.now() - started > 2000)
    log(`built FerretDB in ${((Date.now() - started) / 1000).toFixed(0)} s: ${bin}`);
  return bin;
}

async function startFerret({ detached }) {
  const pg = pgSettings();
  await ensurePostgres(pg);
  const bin = await ferretBinary();
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const port = await freePort();
    const pgDatabase = `hindsight_test_${port}`; // one per instance, dropped on stop: nothing piles up
    const stateDir = path.join(TMP, `ferretdb-${port}`);
    const logFile = path.join(TMP, `ferretdb-${port}.log`);
    await psql(pg, `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
    await psql(pg, `CREATE DATABASE ${pgDatabase}`);
    fs.mkdirSync(stateDir, { recursive: true });
    const args = [
      '--handler=postgresql',
      `--postgresql-url=${pgUrl(pg, pgDatabase)}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      `--state-dir=${stateDir}`,
      '--debug-addr=127.0.0.1:0',
      '--log-level=warn',
    ];
    const child = spawnServer(bin, args, { logFile, cwd: stateDir, detached });
    const uri = `mongodb://127.0.0.1:${port}/hindsight`;
    const entry = {
      kind: 'ferretdb',
      started: true,
      uri,
      pid: child.pid,
      port,
      pg,
      pgDatabase,
      stateDir,
      logFile,
    };
    children.set(entry, child);
    try {
      await waitUntil(() => portOpen(port), {
        child,
        timeoutMs: LIMITS.ferretReady,
        what: 'FerretDB',
        logFile,
      });
      if (!(await mongoAnswers(uri, 5000)))
        throw new Error(`FerretDB does not answer ping; ${logFile}:\n${tail(logFile)}`);
      log(
        `FerretDB ready on 127.0.0.1:${port} in ${Date.now() - started} ms (PostgreSQL database ${pgDatabase})`,
      );
      return entry;
    } catch (err) {
      await cleanUp(entry, { keepLog: true });
      // Another process may take the free port before FerretDB binds it: try another one.
      if (attempt < 3 && /address already in use/i.test(String(err.message))) continue;
      throw err;
    }
  }
}

/**
 * Stops a service we started and removes what it left (its log too, unless keepLog); never touches a reused
 * one.
 */
async function cleanUp(entry, { keepLog = false } = {}) {
  if (!entry?.started) return false;
  const stopped = await stopProcess(entry, children.get(entry));
  if (entry.kind === 'ferretdb' && entry.pgDatabase) {
    await psql(entry.pg, `DROP DATABASE IF EXISTS ${entry.pgDatabase} WITH (FORCE)`).catch((err) =>
      log(`could not drop PostgreSQL database ${entry.pgDatabase}: ${err.stderr || err.message}`),
    );
  }
  for (const p of [entry.dir, entry.stateDir, keepLog ? undefined : entry.logFile]) {
    if (p) fs.rmSync(p, { recursive: true, force: true });
  }
  return stopped;
}

// ---------------------------------------------------------------- state files

function readState(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeState(file, state) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** State files of in-process owners (jest runs, dev.mjs), with their owner's pid. */
function ownedStateFiles() {
  let names = [];
  try {
    names = fs.readdirSync(TMP);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const m = OWNED_STATE.exec(n);
    return m ? [{ file: path.join(TMP, n), ownerPid: Number(m[1]) }] : [];
  });
}

/** Stops what runs whose owner died (a killed jest, say) left behind. */
async function sweepOrphans() {
  for (const { file, ownerPid } of ownedStateFiles()) {
    if (ownerPid === process.pid || isAlive(ownerPid)) continue;
    const state = readState(file);
    for (const entry of [state?.redis, state?.mongodb]) {
      if (entry?.started) {
        log(`stopping ${entry.kind} on port ${entry.port}, left by process ${ownerPid} which is gone`);
        await cleanUp(entry).catch((err) => log(String(err.message)));
      }
    }
    fs.rmSync(file, { force: true });
  }
}

// ---------------------------------------------------------------- start / stop

/**
 * Reuses or starts Redis and a MongoDB-wire server, checks the latter's atomicity, and records what it started.
 * Options: keepRunning (the CLI: services outlive this process, recorded in .tmp/test-services.json for `stop`);
 * otherwise they are this process's, recorded in .tmp/test-services.<pid>.json and stopped by
 * stopTestServices(handle), or by the next start once this process is gone. detached: start them in their own
 * session so a Ctrl-C in the terminal does not reach them (default: keepRunning).
 * Resolves to { redisUrl, mongodbUri, stateFile, state }; throws, after stopping what it started, on failure.
 */
export async function startTestServices({ keepRunning = false, detached = keepRunning } = {}) {
  const stateFile = keepRunning ? CLI_STATE_FILE : path.join(TMP, `test-services.${process.pid}.json`);
  await sweepOrphans();
  const recorded = readState(CLI_STATE_FILE);
  const state = { owner: { pid: process.pid, keepRunning }, createdAt: new Date().toISOString() };
  const startedNow = [];
  const save = () => writeState(stateFile, state);
  /** A service that an earlier `start` left running and that still answers: kept if we are the CLI, else borrowed. */
  const leftRunning = async (entry) => {
    if (!isOurs(entry)) return undefined;
    if (!(await (entry.kind === 'redis' ? redisAnswers(entry.url) : mongoAnswers(entry.uri))))
      return undefined;
    return keepRunning
      ? entry
      : { kind: entry.kind, started: false, url: entry.url, uri: entry.uri, from: CLI_STATE_FILE };
  };
  try {
    const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
    let reused;
    if (await redisAnswers(redisUrl)) {
      state.redis = { kind: 'redis', started: false, url: redisUrl };
      log(`using the Redis at ${redact(redisUrl)}`);
    } else if ((reused = await leftRunning(recorded?.redis))) {
      state.redis = reused;
      log(`using the redis-server that \`start\` left running at ${reused.url}`);
    } else {
      log(`no Redis answers at ${redact(redisUrl)}; starting a redis-server`);
      state.redis = await startRedis({ detached });
      startedNow.push(state.redis);
      log(`redis-server (pid ${state.redis.pid}) answers at ${state.redis.url}`);
    }
    save();

    const mongodbUri = process.env.MONGODB_URI || DEFAULT_MONGODB_URI;
    if (await mongoAnswers(mongodbUri)) {
      state.mongodb = { kind: 'mongodb', started: false, uri: mongodbUri };
      log(`using the MongoDB-wire server at ${redact(mongodbUri)}`);
    } else if ((reused = await leftRunning(recorded?.mongodb))) {
      state.mongodb = reused;
      log(`using the FerretDB that \`start\` left running at ${reused.uri}`);
    } else {
      const which = process.env.FERRETDB_BIN ? `FERRETDB_BIN=${process.env.FERRETDB_BIN}` : 'atomic build';
      log(`nothing answers at MONGODB_URI (${redact(mongodbUri)}); starting FerretDB (${which})`);
      state.mongodb = await startFerret({ detached });
      startedNow.push(state.mongodb);
    }
    save();

    if (keepRunning) {
      // What an earlier `start` recorded and is not in use any more (gone, or replaced): clean it up.
      for (const old of [recorded?.redis, recorded?.mongodb]) {
        if (old?.started && old !== state.redis && old !== state.mongodb) await cleanUp(old).catch(() => {});
      }
    }

    const checkUri = withDatabase(state.mongodb.uri, CHECK_DATABASE);
    const t0 = Date.now();
    const { ok, results } = await withTimeout(
      checkAtomicity(checkUri),
      LIMITS.check,
      `the atomicity check against ${redact(checkUri)} took over ${LIMITS.check / 1000} s`,
    );
    if (!ok) {
      throw new Error(
        `the MongoDB-wire server at ${redact(state.mongodb.uri)} failed the atomicity check:\n` +
          `${formatResults(results)}\nthis server loses concurrent writes; ` +
          'use MongoDB or the atomic FerretDB build from scripts/ferretdb/build.sh',
      );
    }
    log(`atomicity check passed (${results.length} races of 50 writers) in ${Date.now() - t0} ms`);
    return { redisUrl: state.redis.url, mongodbUri: state.mongodb.uri, stateFile, state };
  } catch (err) {
    // Stop what this call started; keep what an earlier `start` left running.
    for (const entry of startedNow.reverse()) await cleanUp(entry).catch((e) => log(String(e.message)));
    for (const key of ['redis', 'mongodb']) if (startedNow.includes(state[key])) delete state[key];
    if (state.redis?.started || state.mongodb?.started) save();
    else fs.rmSync(stateFile, { force: true });
    throw err;
  }
}

/**
 * Stops what a start recorded: the handle's services if given one (jest, dev.mjs), else what the CLI's `start`
 * left running (.tmp/test-services.json), plus anything left by runs whose process is gone.
 * Services that were reused, such as the machine's own Redis, are never touched. Resolves to the list stopped.
 */
export async function stopTestServices(handle) {
  const stateFile = handle?.stateFile ?? CLI_STATE_FILE;
  const state = handle?.state ?? readState(stateFile);
  const stopped = [];
  for (const entry of [state?.mongodb, state?.redis]) {
    if (!entry?.started) continue;
    const wasRunning = await cleanUp(entry);
    stopped.push(
      `${entry.kind} pid ${entry.pid} port ${entry.port}${wasRunning ? '' : ' (had already exited)'}`,
    );
  }
  fs.rmSync(stateFile, { force: true });
  if (!handle) await sweepOrphans();
  return stopped;
}

// ---------------------------------------------------------------- CLI

const shellQuote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

async function status() {
  const files = [CLI_STATE_FILE, ...ownedStateFiles().map((f) => f.file)].filter((f) => fs.existsSync(f));
  if (files.length === 0) {
    console.log('nothing recorded in .tmp/: `start` would reuse or start the services');
    return true;
  }
  let allUp = true;
  for (const file of files) {
    const state = readState(file);
    const owner = state?.owner?.pid;
    const gone = owner && !state.owner.keepRunning && !isAlive(owner) ? ', gone' : '';
    console.log(`${path.relative(ROOT, file)} (owner pid ${owner}${gone}, since ${state?.createdAt}):`);
    for (const entry of [state?.redis, state?.mongodb].filter(Boolean)) {
      const url = entry.url ?? entry.uri;
      const up = entry.kind === 'redis' ? await redisAnswers(url) : await mongoAnswers(url);
      allUp &&= up;
      const how = entry.started
        ? `started here, pid ${entry.pid}${isOurs(entry) ? '' : ' (gone)'}`
        : 'reused';
      console.log(`  ${entry.kind.padEnd(8)} ${redact(url)}  ${how}  ${up ? 'answers' : 'DOES NOT ANSWER'}`);
    }
  }
  return allUp;
}

async function main(command) {
  switch (command) {
    case 'start': {
      const { redisUrl, mongodbUri } = await startTestServices({ keepRunning: true });
      console.log(`export REDIS_URL=${shellQuote(redisUrl)}`);
      console.log(`export MONGODB_URI=${shellQuote(mongodbUri)}`);
      log('running; `node scripts/test-services.mjs stop` stops what was started here');
      return 0;
    }
    case 'stop': {
      const stopped = await stopTestServices();
      log(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing started here to stop');
      return 0;
    }
    case 'status':
      return (await status()) ? 0 : 1;
    default:
      process.stderr.write('usage: node scripts/test-services.mjs start|stop|status\n');
      return 2;
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`[test-services] error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
