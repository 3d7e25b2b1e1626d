import fs from 'node:fs';
import os from 'node:os';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';

export function machine(): { cores: number; memoryGb: number; cpuModel: string; loadAvgAtStart: number[] } {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // keep os.cpus()
  }
  return {
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel,
    loadAvgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export async function versions(
  redisUrl: string,
  mongodbUri: string,
): Promise<{ node: string; redis: string | null; database: string | null }> {
  let redis: string | null = null;
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await r.connect();
    redis = /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? null;
  } catch {
    redis = null;
  } finally {
    r.disconnect();
  }
  let database: string | null = null;
  const client = new MongoClient(mongodbUri);
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = info.ferretdbVersion as string | undefined;
    database = ferret
      ? `FerretDB ${ferret} (MongoDB wire ${String(info.version)})`
      : `MongoDB ${String(info.version)}`;
  } catch {
    database = null;
  } finally {
    await client.close();
  }
  return { node: process.version, redis, database };
}
