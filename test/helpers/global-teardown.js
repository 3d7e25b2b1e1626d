/** Jest global teardown: stops what global-setup.js started (never a server it merely reused). */
module.exports = async function globalTeardown() {
  const services = globalThis.__HINDSIGHT_TEST_SERVICES__;
  if (!services) return;
  const { stopTestServices } = await import('../../scripts/test-services.mjs');
  await stopTestServices(services);
  delete globalThis.__HINDSIGHT_TEST_SERVICES__;
};
