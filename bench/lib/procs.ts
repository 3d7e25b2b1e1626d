/** Child processes of the bench: each in a process group of its own, all killed on exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sleep } from './util';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
export const WEBHOOK_TOKEN = 'bench-webhook-token-0123456789';
export const API_TOKEN = 'bench-api-token-0123456789abcdef';

const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export interface Proc {
  pid: number;
  output: string[];
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startProc(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child: ChildProcess = spawn(TSX, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  running.add(pid);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(pid);
      resolve(code);
    });
  });
  return {
    pid,
    output,
    exited,
    async stop(graceMs = 8_000) {
      if (!running.has(pid)) return;
      signalGroup(pid, 'SIGTERM');
      const late = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (late) {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

/** Runs a child to completion and returns its stdout. */
export function runToEnd(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      reject(new Error(`${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      if (code === 0) resolve(out);
      else reject(new Error(`${args[0]} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

export async function waitHttp(url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void proc.exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`process exited before it answered:\n${proc.output.join('').slice(-2000)}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.output.join('').slice(-2000)}`);
}
