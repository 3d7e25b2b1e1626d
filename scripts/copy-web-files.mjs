#!/usr/bin/env node
// The build's second step: tsc compiles src/ into dist/src/, and the UI's templates and assets (not TypeScript)
// are copied beside the compiled src/web/ so that the pages find them the same way in dist as in src.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const folder of ['views', 'assets']) {
  const from = path.join(root, 'src', 'web', folder);
  const to = path.join(root, 'dist', 'src', 'web', folder);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  process.stdout.write(`copied src/web/${folder} to dist/src/web/${folder}\n`);
}
