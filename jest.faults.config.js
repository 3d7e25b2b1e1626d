/**
 * Fault-injection tests (test/faults/*.fault.test.ts): a database or Redis stopped and started again in the
 * middle of a burst, several API and worker processes racing, a short soak. Slower than the integration tests
 * and run on their own, one file at a time: `npm run test:faults`. Same servers as jest.config.js (its global
 * setup); the tests that stop a server start one of their own (test/helpers/ferretdb.ts, startRedisServer()).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/faults/**/*.fault.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
