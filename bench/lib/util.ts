import fs from 'node:fs';
import net from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[index] ?? 0);
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function children(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

function rssKb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * RSS in MB of the process that does the work: tsx runs the program in a child node process, so the largest
 * RSS in the tree under `pid` (that program) is reported, not tsx's own.
 */
export function treeRssMb(pid: number): number | null {
  const stack = [pid];
  let best: number | null = null;
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const kb = rssKb(p);
    if (kb !== null && (best === null || kb > best)) best = kb;
    stack.push(...children(p));
  }
  return best === null ? null : round(best / 1024);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A process tree's RSS once its load has stopped: read every 500 ms for 3 s and the lowest kept, so a reading
 * does not land in the middle of a heap growth V8 is about to collect (single readings vary by 10-15%).
 */
export async function settledRssMb(pid: number): Promise<number | null> {
  const readings: number[] = [];
  for (let i = 0; i < 6; i += 1) {
    await sleep(500);
    const mb = treeRssMb(pid);
    if (mb !== null) readings.push(mb);
  }
  return readings.length > 0 ? Math.min(...readings) : null;
}
