/**
 * Jest global setup: reuses or starts Redis and a MongoDB-wire server that passes the atomicity check
 * (scripts/test-services.mjs), and sets REDIS_URL / MONGODB_URI, which the test workers inherit.
 * Throws, so no test runs, if a server is missing or the MongoDB-wire server loses concurrent writes.
 */
module.exports = async function globalSetup() {
  const { startTestServices } = await import('../../scripts/test-services.mjs');
  const services = await startTestServices();
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGODB_URI = services.mongodbUri;
  // Read back by global-teardown.js, which runs in this same process.
  globalThis.__HINDSIGHT_TEST_SERVICES__ = services;
};
