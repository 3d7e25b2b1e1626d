/**
 * Unit tests only (test/unit/**): no servers, no global setup. `npm run test:unit`.
 * @type {import('jest').Config}
 */
const { globalSetup, globalTeardown, ...base } = require('./jest.config.js');

module.exports = {
  ...base,
  // The roots hold every file a unit test reaches, not only the tests: jest's --findRelatedTests (which mutation
  // testing uses to pick the tests of a mutated file) follows imports only through files inside the roots, and
  // would miss a test that reaches src/ through test/helpers/. testMatch keeps the run to the unit tests.
  roots: ['<rootDir>/test/unit', '<rootDir>/test/helpers', '<rootDir>/src', '<rootDir>/config'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
};
