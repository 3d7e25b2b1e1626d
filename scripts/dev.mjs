#!/usr/bin/env node
// `npm run dev` without Docker: reuses or starts Redis and a MongoDB-wire server (scripts/test-services.mjs),
// makes up WEBHOOK_TOKEN and API_TOKEN when unset, runs API and worker together (tsx src/main.ts all), and
// prints a first webhook to send. Ctrl-C stops the app, then the servers this script started.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServices, stopTestServices } from './test-services.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[dev] ${msg}\n`);

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function printFirstSteps(port, webhookToken, apiToken, signIn) {
  const payload = JSON.stringify({
    id: '1',
    alert_transition: 'Triggered',
    alert_id: '42',
    alert_title: 'CPU high',
    alert_scope: 'host:web-1',
    date: String(Date.now()),
    tags: 'service:web,host:web-1',
  });
  console.log(
    [
      '',
      `Hindsight is listening on http://localhost:${port}. Send a first Datadog webhook:`,
      '',
      `  curl -X POST http://localhost:${port}/webhooks/datadog -H "Authorization: Bearer ${webhookToken}" ` +
        `-H 'Content-Type: application/json' -d '${payload}'`,
      '',
      'and read the incident it opened:',
      '',
      `  curl -H "Authorization: Bearer ${apiToken}" http://localhost:${port}/api/incidents`,
      '',
      signIn === null
        ? `or open http://localhost:${port}/ in a browser.`
        : `or open http://localhost:${port}/ in a browser and sign in as ${signIn.name}, password ${signIn.password}.`,
      '',
    ].join('\n'),
  );
}

async function main() {
  const entry = path.join(ROOT, 'src', 'main.ts');
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  if (!fs.existsSync(entry)) throw new Error('src/main.ts does not exist yet: nothing to run');
  if (!fs.existsSync(tsx)) throw new Error('node_modules/.bin/tsx is missing: run `npm ci` first');

  const env = { ...process.env };
  env.PORT ||= '3000';
  const port = Number(env.PORT);
  env.PUBLIC_URL ||= `http://localhost:${port}`;
  if (await portOpen(port))
    throw new Error(`something already listens on port ${port}: set PORT to a free one`);
  const made = [];
  if (!env.WEBHOOK_TOKEN && !env.WEBHOOK_TOKEN_DATADOG) {
    env.WEBHOOK_TOKEN = randomBytes(18).toString('base64url');
    made.push(`WEBHOOK_TOKEN=${env.WEBHOOK_TOKEN}`);
  }
  if (!env.API_TOKEN) {
    env.API_TOKEN = randomBytes(18).toString('base64url');
    made.push(`API_TOKEN=${env.API_TOKEN}`);
  }
  let signIn = null;
  if (!env.UI_USERS_FILE && !env.AUTH_PROXY_HEADER) {
    // A user for the browser UI, hashed by Hindsight's own command, in a file of this run's.
    const password = randomBytes(12).toString('base64url');
    const line = execFileSync(tsx, [entry, 'hash-password', 'dev'], { input: `${password}\n`, cwd: ROOT });
    const file = path.join(ROOT, '.tmp', 'dev-users.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `{"users":[${line.toString().trim()}]}\n`, { mode: 0o600 });
    env.UI_USERS_FILE = file;
    signIn = { name: 'dev', password };
    made.push(`UI_USERS_FILE=${file} (user dev, password ${password})`);
  }
  if (!env.SESSION_SECRET) {
    env.SESSION_SECRET = randomBytes(32).toString('hex');
    made.push('SESSION_SECRET=<random>');
  }
  if (made.length > 0)
    console.log(`Made up for this run (set them yourself to keep them):\n  ${made.join('\n  ')}`);

  // Detached, so a Ctrl-C in the terminal reaches this script, not the servers: they stop after the app.
  const services = await startTestServices({ detached: true });
  env.REDIS_URL = services.redisUrl;
  env.MONGODB_URI = services.mongodbUri;
  log(`REDIS_URL=${env.REDIS_URL} MONGODB_URI=${env.MONGODB_URI}`);

  // The app in its own process group too: it gets each signal once, from here.
  const child = spawn(tsx, [entry, 'all'], { cwd: ROOT, env, stdio: 'inherit', detached: true });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  const exited = new Promise((resolve) => {
    child.once('error', (err) => {
      log(`could not start the app: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });

  void (async () => {
    for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (await portOpen(port)) {
        printFirstSteps(port, env.WEBHOOK_TOKEN_DATADOG || env.WEBHOOK_TOKEN, env.API_TOKEN, signIn);
        return;
      }
    }
    log(`the app has not opened port ${port} after 60 s`);
  })();

  const code = await exited;
  const stopped = await stopTestServices(services);
  if (stopped.length > 0) log(`stopped ${stopped.join(', ')}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
