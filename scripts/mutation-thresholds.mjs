#!/usr/bin/env node
// Checks the mutation report (reports/mutation/mutation.json, written by `stryker run`) against the per-folder
// thresholds of stryker.config.mjs, which Stryker itself can only hold the whole run to. Prints the score of
// each folder and of every other mutated file, and exits 1 when a folder is below its threshold.
// Usage: node scripts/mutation-thresholds.mjs [report.json]
import { readFileSync } from 'node:fs';
import { calculateMetrics } from 'mutation-testing-metrics';
import { folderThresholds } from '../stryker.config.mjs';

const reportPath = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const files = Object.entries(report.files);

/** The files of the report under `prefix` (a folder, or one file). */
function filesUnder(prefix) {
  const inside = (name) => name === prefix || name.startsWith(`${prefix}/`);
  return Object.fromEntries(files.filter(([name]) => inside(name)));
}

function row(name, subset, threshold) {
  const { metrics } = calculateMetrics(subset);
  const score = metrics.mutationScore;
  const passed = threshold === undefined || score >= threshold;
  return {
    name,
    passed,
    cells: [
      name,
      String(metrics.totalValid),
      String(metrics.killed),
      String(metrics.timeout),
      String(metrics.survived),
      String(metrics.noCoverage),
      String(metrics.ignored),
      Number.isNaN(score) ? 'n/a' : score.toFixed(2),
      threshold === undefined ? '' : `${threshold}${passed ? '' : '  BELOW'}`,
    ],
  };
}

const covered = new Set();
const rows = [];
for (const [folder, threshold] of Object.entries(folderThresholds)) {
  const subset = filesUnder(folder);
  if (Object.keys(subset).length === 0) {
    // A run over the changed lines (MUTATION_SCOPE unset or 'changed') mutates only folders with changes; a
    // whole run must reach every folder, or the mutate list has lost one.
    const scope = process.env.MUTATION_SCOPE ?? 'changed';
    if (scope === 'all') {
      console.error(
        `mutation-thresholds: no mutated file under ${folder}; is it in stryker.config.mjs's mutate?`,
      );
      process.exit(1);
    }
    console.log(`mutation-thresholds: ${folder}: nothing changed there since the baseline (scope ${scope})`);
    continue;
  }
  for (const name of Object.keys(subset)) covered.add(name);
  rows.push(row(folder, subset, threshold));
}
for (const [name] of files) if (!covered.has(name)) rows.push(row(name, filesUnder(name), undefined));
rows.push(row('all', report.files, undefined));

const header = [
  'folder or file',
  'mutants',
  'killed',
  'timeout',
  'survived',
  'no cov',
  'ignored',
  'score %',
  'threshold',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r.cells));

const failed = rows.filter((r) => !r.passed);
if (failed.length > 0) {
  console.error(`\nmutation score below its threshold: ${failed.map((r) => r.name).join(', ')}`);
  process.exit(1);
}
console.log('\nevery folder meets its mutation-score threshold');
