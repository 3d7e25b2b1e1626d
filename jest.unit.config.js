/**
 * Unit tests only (test/unit/**): no servers, no global setup. `npm run test:unit`.
 * @type {import('jest').Config}
 */
const { globalSetup, globalTeardown, ...base } = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
};
