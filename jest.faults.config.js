/**
 * Fault-injection tests (test/faults/*.fault.test.ts): a database or Redis stopped and started again in the
 * middle of a burst, several API and worker processes racing, a short soak. Slower than the integration tests
 * and run on their own, one file at a time: `npm run test:faults`. Same servers as jest.config.js (its global
 * setup); the tests that stop a server start one of their own (test/helpers/ferretdb.ts, startRedisServer()).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/faults/**/*.fault.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, sourceMaps: 'inline' },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  testTimeout: 120_000,
  maxWorkers: 1,
  forceExit: true,
};
