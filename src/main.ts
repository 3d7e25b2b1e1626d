/**
 * Entry point: `node dist/src/main.js api|worker|all` (npm run start:api, start:worker, start), and
 * `node dist/src/main.js hash-password [name] [--token]` (npm run hash-password) for UI_USERS_FILE.
 * Validates the configuration once, starts the role, and shuts down gracefully on SIGTERM/SIGINT:
 * the HTTP server stops accepting, workers let running jobs finish, then connections close.
 */
import { ConfigError, loadConfig } from '../config';
import { startWorkers } from '../workers/worker';
import { createLogger } from './logger';
import { startApi } from './server';
import { hashPasswordCommand } from './web/auth/hash-password.command';

type Role = 'api' | 'worker' | 'all';

async function main(): Promise<void> {
  if (process.argv[2] === 'hash-password') {
    process.exitCode = await hashPasswordCommand(process.argv.slice(3), process.stdout);
    return;
  }
  const role = (process.argv[2] ?? 'all') as Role;
  if (!['api', 'worker', 'all'].includes(role)) {
    process.stderr.write(`usage: main.js api|worker|all (got ${role})\n`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel).child({ role });
  const closers: (() => Promise<void>)[] = [];
  if (role === 'api' || role === 'all') {
    const api = await startApi(config, logger);
    closers.push(() => api.close());
  }
  if (role === 'worker' || role === 'all') {
    const workers = await startWorkers(config, logger);
    closers.push(() => workers.close());
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    force.unref();
    void (async () => {
      for (const close of closers) await close();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `hindsight failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
