/**
 * All tests: unit and integration. Jest's global setup reuses or starts Redis and a MongoDB-wire server
 * (scripts/test-services.mjs) and hands their URLs to the test workers as REDIS_URL and MONGODB_URI.
 * Unit tests alone, with no servers: jest.unit.config.js; browser tests: jest.browser.config.js.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // npm run test:faults (jest.faults.config.js) and npm run test:browser (jest.browser.config.js) run on their own.
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/', '/test/e2e/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, sourceMaps: 'inline' },
    ],
  },
  // ESM-style relative imports ('./x.js') resolve to the TypeScript source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  testTimeout: 60_000,
  maxWorkers: 2,
  // A test file that fails before closing its connections would otherwise keep jest (and CI) waiting forever
  // when jest runs the files in its own process; the global teardown still runs first.
  forceExit: true,
};
