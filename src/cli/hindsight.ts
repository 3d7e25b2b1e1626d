#!/usr/bin/env node
/**
 * The `hindsight` command line (package.json `bin`; `npx hindsight …`, or `npm run hindsight -- …` from a
 * clone). It reads the same environment as the service, validated the same way, and talks to its Redis.
 *
 *   hindsight failed-alerts [--limit N]   lists the alert batches in the queue's failed set
 *   hindsight retry-failed-alerts         puts them all back on the queue (applied exactly once, as ever)
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../../config';
import { createProducerConnection } from '../queue/connections';
import { createFailedAlerts, type FailedAlerts } from '../queue/failed-alerts';

const USAGE = `usage: hindsight <command>

commands:
  failed-alerts [--limit N]   list the alert batches in the queue's failed set (newest first, 20 by default)
  retry-failed-alerts         put every failed alert batch back on the queue
`;

export interface Output {
  write(text: string): unknown;
}

/** Runs one command; answers the exit code (0 done, 1 failed, 2 usage, 78 configuration). */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  err: Output,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    (command === undefined ? err : out).write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'failed-alerts' && command !== 'retry-failed-alerts') {
    err.write(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  let options: { limit?: string | undefined };
  try {
    options = parseArgs({
      args: [...rest],
      options: command === 'failed-alerts' ? { limit: { type: 'string' } } : {},
      strict: true,
    }).values;
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    err.write('--limit must be a whole number from 1 to 200\n');
    return 2;
  }
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err.write(`${error.message}\n`);
    return 78;
  }
  const redis = createProducerConnection(config.redisUrl, {
    enableOfflineQueue: true,
    connectTimeout: 5_000,
  });
  redis.on('error', () => undefined);
  const failed = createFailedAlerts(redis, config.queuePrefix);
  try {
    if (command === 'failed-alerts') await listFailed(failed, limit, out);
    else await retryFailed(failed, out);
    return 0;
  } catch (error) {
    err.write(`could not reach Redis at the configured REDIS_URL: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await failed.close().catch(() => undefined);
    redis.disconnect();
  }
}

async function listFailed(failed: FailedAlerts, limit: number, out: Output): Promise<void> {
  const page = await failed.list(limit, 0);
  out.write(`${page.total} failed alert batch${page.total === 1 ? '' : 'es'}\n`);
  for (const batch of page.items) {
    const first = batch.alerts[0];
    out.write(
      `${batch.jobId}\t${batch.failedAt?.toISOString() ?? '-'}\t${batch.alertCount} alert(s)` +
        `${first === undefined ? '' : `, first ${first.eventId}`}\t${batch.attempts} attempt(s)\t${batch.reason}\n`,
    );
  }
  if (page.total > page.items.length) out.write(`(${page.total - page.items.length} more)\n`);
}

async function retryFailed(failed: FailedAlerts, out: Output): Promise<void> {
  out.write('putting the failed alert batches back on the queue…\n');
  const retried = await failed.retryAll((done, left) =>
    out.write(`${done} batch(es) back on the queue, ${left} still failed\n`),
  );
  out.write(
    retried === 0
      ? 'no failed alert batches\n'
      : `done: ${retried} batch(es) queued again; the workers apply them exactly once\n`,
  );
}

if (require.main === module) {
  void runCli(process.argv.slice(2), process.env, process.stdout, process.stderr).then((code) => {
    process.exitCode = code;
  });
}
