#!/usr/bin/env node
/**
 * What loading @datadog/datadog-api-client costs, module by module, as src/enrichment/datadog.client.ts
 * loads it: each case in a fresh `node --expose-gc` process, the wall time of its require()s, the heap they
 * keep after a full GC and the growth of the resident set, the median of several runs.
 *
 *   node scripts/datadog-import-cost.mjs            the v1 modules the client uses
 *   node scripts/datadog-import-cost.mjs --root     and, to compare, the package root (v1 + v2)
 *   node scripts/datadog-import-cost.mjs --runs 7   runs per case (5 by default)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = '@datadog/datadog-api-client/dist';
const COMMON = [
  `${PKG}/packages/datadog-api-client-common/configuration.js`,
  `${PKG}/packages/datadog-api-client-common/servers.js`,
  `${PKG}/logger.js`,
];
const api = (name) => `${PKG}/packages/datadog-api-client-v1/apis/${name}.js`;
const APIS = ['MonitorsApi', 'MetricsApi', 'EventsApi', 'SnapshotsApi', 'NotebooksApi'];

/** [label, modules loaded first (not measured), modules measured]. */
const CASES = [
  ['common (configuration, servers, logger)', [], COMMON],
  ...APIS.map((name) => [`v1 ${name} alone`, [], [api(name)]]),
  ['first call: common + v1 MonitorsApi', [], [...COMMON, api('MonitorsApi')]],
  ...APIS.slice(1).map((name) => [`then v1 ${name}`, [...COMMON, api('MonitorsApi')], [api(name)]]),
  ['all five v1 APIs + common', [], [...COMMON, ...APIS.map(api)]],
];

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (args.includes('--root')) CASES.push(['package root (for comparison)', [], [PKG.replace(/\/dist$/, '')]]);

const PROBE = `
  const [before, measured] = JSON.parse(process.argv[1]);
  for (const m of before) require(m);
  globalThis.gc();
  const { heapUsed: heap, rss } = process.memoryUsage();
  const files = Object.keys(require.cache).length;
  const start = process.hrtime.bigint();
  for (const m of measured) require(m);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  globalThis.gc();
  const loaded = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({
    ms,
    heapMB: (process.memoryUsage().heapUsed - heap) / 2 ** 20,
    rssMB: (process.memoryUsage().rss - rss) / 2 ** 20,
    files: loaded.length - files,
    v2: loaded.filter((f) => f.includes('datadog-api-client-v2')).length,
  }));
`;

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const COLUMNS = [
  ['ms', 7, (runs) => median(runs.map((r) => r.ms)).toFixed(0)],
  ['heap MB', 9, (runs) => median(runs.map((r) => r.heapMB)).toFixed(1)],
  ['RSS MB', 8, (runs) => String(Math.round(median(runs.map((r) => r.rssMB))) || 0)],
  ['files', 7, (runs) => String(runs[0].files)],
  ['v2', 6, (runs) => String(runs[0].v2)],
];

console.log(`node ${process.version}, ${RUNS} runs per case (median)\n`);
console.log('case'.padEnd(42) + COLUMNS.map(([title, width]) => title.padStart(width)).join(''));
for (const [label, before, measured] of CASES) {
  const runs = Array.from({ length: RUNS }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '-e', PROBE, JSON.stringify([before, measured])], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ),
  );
  console.log(label.padEnd(42) + COLUMNS.map(([, width, value]) => value(runs).padStart(width)).join(''));
}
