/**
 * Runs `tsx src/main.ts worker` for a test and ends it when the test process goes away: this wrapper's stdin
 * is a pipe from the test process, and when it closes (the test process ended, however), the wrapper kills
 * its whole process group (itself, tsx and the worker). Plain Node on purpose: reading stdin from a preload
 * of the TypeScript loader itself can deadlock the worker's start.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts', 'worker'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
process.stdin.on('end', () => process.kill(0, 'SIGKILL')).resume();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
