// Which code a mutation run plants bugs in. A whole run over the core takes hours on two cores, longer than a
// CI run may take, so CI mutates only the lines changed since the last commit whose whole core was measured
// (the baseline, scores in README.md), and a whole run is `MUTATION_SCOPE=all npm run test:mutation`.
// Patterns are Stryker's `mutate` entries; a changed file is narrowed to the span of its changed lines.
import { execFileSync } from 'node:child_process';

/** `git diff -U0` hunks of the working tree against `baseline`, one `file:start-end` pattern per hunk. */
export function changedSpans(baseline, pathspecs) {
  const diff = execFileSync('git', ['diff', '-U0', '--no-color', '--no-renames', baseline, '--', ...pathspecs], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const spans = [];
  let file = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) file = line === '+++ /dev/null' ? null : line.slice(6);
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk === null || file === null || !file.endsWith('.ts')) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    // Stryker unions several spans of one file.
    if (count > 0) spans.push(`${file}:${start}-${start + count - 1}`);
  }
  return spans;
}

const asGlob = (path) => (path.endsWith('.ts') ? path : `${path}/**/*.ts`);

/**
 * Stryker's `mutate` list. `scope` 'changed' (the default): the changed spans since `baseline` of the files
 * the folders name (as git pathspecs), leaving out `pending` (code whose first whole measurement is still to
 * come); 'all': every file of the folders, pending ones included; anything else: a comma-separated list of
 * folders or files to mutate whole (to measure one pending folder, say).
 */
export function mutationScope({ scope = 'changed', baseline, folders, pending }) {
  if (scope === 'all') return folders.map(asGlob);
  if (scope !== 'changed')
    return scope
      .split(',')
      .map((path) => path.trim())
      .filter((path) => path !== '')
      .map(asGlob);
  return changedSpans(baseline, [...folders, ...pending.map((path) => `:(exclude)${path}`)]);
}
