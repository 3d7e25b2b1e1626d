/**
 * Worker processes for tests that need a real process boundary: racing processes, and a worker killed with
 * SIGKILL in the middle of its jobs. Each runs `tsx src/main.ts worker` from the repo root, with only the
 * environment the test gives it (use testEnv() and share its QUEUE_PREFIX and MONGODB_URI with the pipeline).
 *
 * tsx runs the program in a child process of its own, so every worker gets a process group of its own and
 * kill() signals the whole group: a SIGKILL then really kills the worker, not just tsx in front of it.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;

/** One pino line as the worker wrote it. */
export interface LogLine {
  level?: number;
  msg?: string;
  [field: string]: unknown;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerProcess {
  pid: number;
  /** Every stdout line so far, as written. */
  lines: string[];
  /** The stdout lines that parsed as JSON (pino), in order. */
  logs: LogLine[];
  stderr: string[];
  /** Signals the worker's process group (tsx and the worker it runs). */
  kill(signal?: NodeJS.Signals): void;
  /** Settles when the process has exited; never rejects. */
  exited: Promise<WorkerExit>;
}

/**
 * Leftovers die with the test process. An 'exit' listener is not enough (it is kept below, for scripts): jest
 * gives each test file a copy of `process` whose events the real process never emits, and a killed test
 * process runs no listener. So the worker runs under worker-guard.cjs, which ends its process group when its
 * stdin, a pipe from the test process, closes.
 */
const GUARD = path.join(__dirname, 'worker-guard.cjs');

const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Starts `tsx src/main.ts worker` and resolves once it logs `worker started`. */
export async function spawnWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [GUARD], {
    cwd: ROOT,
    // Only what the test gives, plus what it takes to find and run node: the config comes from env alone.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not start the worker process: ${error.message}`);
  }
  running.add(pid);
  // A worker left running must not keep the test process alive: worker-guard.cjs ends it once this process is gone.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as Partial<Socket>).unref?.();

  const lines: string[] = [];
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  let onStarted: (() => void) | undefined;

  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    const parsed = parseLine(line);
    if (parsed === null) return;
    logs.push(parsed);
    if (parsed.msg === 'worker started') onStarted?.();
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));

  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(pid);
      resolve({ code, signal });
    });
    child.once('error', () => {
      running.delete(pid);
      resolve({ code: null, signal: null });
    });
  });

  const worker: WorkerProcess = {
    pid,
    lines,
    logs,
    stderr,
    kill: (signal = 'SIGTERM') => signalGroup(pid, signal),
    exited,
  };

  const output = () => [...lines, ...stderr].slice(-40).join('\n') || '(no output)';
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        onStarted = resolve;
        if (logs.some((l) => l.msg === 'worker started')) resolve();
      }),
      exited.then(({ code, signal }) => {
        throw new Error(`worker process exited (${code ?? signal}) before it started:\n${output()}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`worker process did not start within ${START_TIMEOUT_MS / 1000} s:\n${output()}`),
            ),
          START_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    worker.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
    onStarted = undefined;
  }
  return worker;
}

/** Stops a worker: SIGTERM (it finishes its running jobs), then SIGKILL if it takes longer than `graceMs`. */
export async function stopWorker(worker: WorkerProcess, graceMs = 10_000): Promise<WorkerExit> {
  worker.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const first = await Promise.race([worker.exited, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  worker.kill('SIGKILL');
  return worker.exited;
}

function parseLine(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogLine) : null;
  } catch {
    return null;
  }
}
