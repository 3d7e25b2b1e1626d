import type { LoadOptions, LoadResult } from '../load';
import { runToEnd } from './procs';

/** Runs autocannon in a separate process (bench/load.ts) and returns its figures. */
export async function runLoad(options: LoadOptions, timeoutMs = 180_000): Promise<LoadResult> {
  const out = await runToEnd(['bench/load.ts', JSON.stringify(options)], timeoutMs);
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LoadResult;
}
