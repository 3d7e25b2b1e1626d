// Mutation testing (npm run test:mutation): Stryker plants small bugs in the core and runs the fast tests
// (jest.unit.config.js: unit tests, and use-case tests over in-memory ports) against each. A mutant no test
// kills is a change of behaviour the suite lets through. The integration tests on real servers stay the
// confidence layer; they are not run here.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Break below these mutation scores (%), per folder or file; checked by scripts/mutation-thresholds.mjs. */
export const folderThresholds = {
  'src/domain': 85,
  'src/sources': 85,
  'src/use-cases': 75,
};

/** The incremental state lives beside the test server's build, so a run after a small change reuses the rest. */
const cacheDir = process.env.HINDSIGHT_CACHE_DIR ?? join(homedir(), '.cache', 'hindsight');

// The test processes inherit this: each fuzz property runs a fifth of its runs under mutation testing (see
// test/unit/datadog.adapter.fuzz.test.ts), since every covering test runs for every mutant.
process.env.HINDSIGHT_FUZZ_SCALE ??= '0.2';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Each mutant runs only the tests that cover it, in the test files that import its file (findRelatedTests).
  jest: { projectType: 'custom', configFile: 'jest.unit.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/domain/**/*.ts',
    'src/sources/**/*.ts',
    'src/use-cases/**/*.ts',
    'src/http/auth.ts',
    'src/http/webhook-body.ts',
  ],
  incremental: true,
  incrementalFile: join(cacheDir, 'stryker-incremental.json'),
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // The lowest folder threshold: the per-folder ones are checked on the JSON report after the run.
  thresholds: { high: 90, low: 80, break: 75 },
  concurrency: 2,
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
