/**
 * The API process's HTTP server (src/server.ts, started as `main.ts api` starts it) against slow clients: one
 * that sends part of its headers and then nothing, one that sends part of its body, and a keep-alive client that
 * idles between two requests. Timeouts of half a second here, so each is cut off well within the test.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../config';
import { createLogger } from '../../src/logger';
import { createHttpServer, startApi, type RunningApi } from '../../src/server';
import { API_TOKEN, testEnv } from '../helpers/pipeline';

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 800;
let api: RunningApi;

beforeAll(async () => {
  const config = loadConfig(
    testEnv({
      PORT: '0',
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000',
    }),
  );
  expect(config.httpServer.connectionsCheckingIntervalMs).toBe(50);
  api = await startApi(config, createLogger('silent'));
});
afterAll(async () => {
  await api.close();
});

interface Ending {
  /** Everything the server sent. */
  received: string;
  /** From the last byte the client sent to the connection's end. */
  afterMs: number;
  /** How many of the parts the client had sent by then. */
  partsSent: number;
}

/** Connects, sends each part in turn (a pause of `gapMs` between), then nothing; resolves when the server ends it. */
function sendThenWait(parts: string[], port = api.port, gapMs = 0): Promise<Ending> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let lastSent = Date.now();
    let partsSent = 0;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; it sent ${JSON.stringify(received)}`));
    }, 10_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined); // a reset is an end too
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ received, afterMs: Date.now() - lastSent, partsSent });
    });
    socket.once('connect', () => {
      void (async () => {
        for (const [i, part] of parts.entries()) {
          if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
          if (socket.destroyed) return;
          socket.write(part);
          lastSent = Date.now();
          partsSent += 1;
        }
      })();
    });
  });
}

/** The connection ended by the server within a few seconds, with a 408 or nothing at all. */
function expectCutOff(ending: Ending, timeoutMs: number): void {
  expect(ending.afterMs).toBeLessThan(timeoutMs + 2_000);
  if (ending.received !== '') expect(ending.received).toMatch(/^HTTP\/1\.1 408 /);
}

it('when a client sends half a request line and then nothing, then the server ends the connection', async () => {
  const started = Date.now();
  const ending = await sendThenWait(['GET /hea']);
  expectCutOff(ending, HEADERS_TIMEOUT_MS);
  // Not refused at once: cut off by the headers timeout.
  expect(Date.now() - started).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
});

it('when a client dribbles its headers, one line at a time, then it is cut off at the headers timeout', async () => {
  const lines = [
    'GET /healthz HTTP/1.1\r\n',
    'Host: x\r\n',
    'X-A: 1\r\n',
    'X-B: 2\r\n',
    'X-C: 3\r\n',
    'X-D: 4\r\n',
  ];
  const ending = await sendThenWait(lines, api.port, 200);
  // Each line came well within the timeout of the one before: the timeout counts from the request's start, so
  // the client is cut off before it has sent them all (they take 1 s).
  expect(ending.partsSent).toBeLessThan(lines.length);
  expectCutOff(ending, HEADERS_TIMEOUT_MS);
});

it('when a client sends its headers and 10 of the 100 bytes its Content-Length promises, then it is cut off', async () => {
  const body = '{"text":"';
  const ending = await sendThenWait([
    [
      'POST /api/incidents/0123456789abcdef01234567/notes HTTP/1.1',
      'Host: x',
      `Authorization: Bearer ${API_TOKEN}`,
      'Content-Type: application/json',
      'Content-Length: 100',
      '',
      `${body}x`,
    ].join('\r\n'),
  ]);
  expect(`${body}x`).toHaveLength(10);
  // Cut off by the server (408, or closed), not answered by the route: it never saw a whole body.
  expectCutOff(ending, REQUEST_TIMEOUT_MS);
});

it('when a request comes whole, then it is answered; the same connection, idle past both timeouts, still serves the next', async () => {
  const socket = net.connect(api.port, '127.0.0.1');
  socket.setEncoding('utf8');
  let received = '';
  socket.on('data', (chunk: string) => (received += chunk));
  const answers = async (n: number) => {
    for (const end = Date.now() + 5_000; (received.match(/HTTP\/1\.1 200 /g) ?? []).length < n;) {
      if (Date.now() > end || socket.destroyed) throw new Error(`no answer ${n}: ${received}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await answers(1);
    // Idle on a keep-alive connection longer than the headers and request timeouts: only keepAliveTimeout counts.
    await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS * 2));
    expect(socket.destroyed).toBe(false);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await answers(2);
  } finally {
    socket.destroy();
  }
  const res = await fetch(`http://127.0.0.1:${api.port}/healthz`);
  expect(res.status).toBe(200);
});

it('when more connections come than HTTP_MAX_CONNECTIONS, then the one over is closed at once', async () => {
  const server = createHttpServer((_req, res) => res.end('ok'), {
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 5_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 2,
    connectionsCheckingIntervalMs: 100,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const held = await Promise.all(
    [1, 2].map(
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  try {
    // Both held connections are open: the server has counted them before the third arrives.
    await new Promise((r) => setTimeout(r, 100));
    const over = await sendThenWait(['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], port);
    expect(over.received).toBe('');
    expect(over.afterMs).toBeLessThan(1_000);
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const next = await sendThenWait(['GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], port);
    expect(next.received).toMatch(/^HTTP\/1\.1 200 /);
  } finally {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it('when a timeout is 0 or negative, then `main.ts api` refuses to start, naming each variable', async () => {
  const root = path.resolve(__dirname, '..', '..');
  const env = {
    ...testEnv({ HTTP_HEADERS_TIMEOUT_MS: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: '-1000' }),
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  };
  const exit = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['src/main.ts', 'api'],
      { cwd: root, env, timeout: 30_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
  expect(exit.code).toBe(78);
  expect(exit.stderr).toContain('invalid configuration');
  expect(exit.stderr).toContain(
    'HTTP_HEADERS_TIMEOUT_MS: must be at least 1 ms (0 would turn the limit off)',
  );
  expect(exit.stderr).toContain('HTTP_KEEP_ALIVE_TIMEOUT_MS: must be at least 1 ms');
}, 40_000);
