/**
 * Hindsight for a browser test: the whole pipeline of test/helpers/pipeline.ts (its own database and queue
 * prefix on the test servers, the express app, in-process workers) behind a real HTTP listener on loopback,
 * so Chromium can load its pages. Its PUBLIC_URL is the address the browser uses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPipeline, type Pipeline } from '../helpers/pipeline';

/** The UI's session secret in the browser tests (SESSION_SECRET: at least 32 characters). */
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef';

export interface RunningHindsight {
  /** `http://127.0.0.1:<port>`, no trailing slash; also the configuration's PUBLIC_URL. */
  baseUrl: string;
  pipeline: Pipeline;
  /** Closes the listener (and the browser's keep-alive connections to it), then the pipeline. */
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  server.closeAllConnections();
  return closed;
}

/**
 * Starts Hindsight on a free loopback port with testEnv() (test/helpers/pipeline.ts), SESSION_SECRET and
 * `env` on top (UI_USERS_FILE, ...). The configuration is read once, at start, and PUBLIC_URL is part of it,
 * so the port is bound first and the app attached to it once started: PUBLIC_URL is always the baseUrl, even
 * when `env` names another.
 */
export async function startHindsight(env: Record<string, string> = {}): Promise<RunningHindsight> {
  const server = http.createServer();
  const baseUrl = `http://127.0.0.1:${await listen(server)}`;
  let pipeline: Pipeline;
  try {
    pipeline = await startPipeline({ env: { SESSION_SECRET, ...env, PUBLIC_URL: baseUrl } });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  server.on('request', pipeline.app);
  return {
    baseUrl,
    pipeline,
    async close() {
      await closeServer(server);
      await pipeline.close();
    },
  };
}
