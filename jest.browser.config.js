/**
 * Browser tests (test/e2e, files named *.e2e.test.ts): Debian's Chromium driven by playwright-core
 * (test/e2e/browser.ts) against Hindsight on a loopback port (test/e2e/hindsight.ts). Same servers as
 * jest.config.js (its global setup); one file at a time, as each launches a browser. `npm run test:browser`.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
