/** The API's HTTP server settings (config/http-server.ts): their defaults, and every bad value named at start. */
import { loadConfig } from '../../config';
import { loadHttpServerConfig } from '../../config/http-server';
import { configProblemsOf } from '../helpers/config';

const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };

describe('the HTTP server configuration', () => {
  it('when nothing is set, then slow clients are cut off in seconds and idle connections outlive a load balancer', () => {
    expect(loadConfig(base).httpServer).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 1024,
      // Node's 30 s default would let a 10 s timeout run to 40 s.
      connectionsCheckingIntervalMs: 1000,
    });
    expect(Object.isFrozen(loadConfig(base).httpServer)).toBe(true);
  });

  it('when each is set, then it is taken, and the timeouts are checked often enough for the shorter one', () => {
    const config = loadConfig({
      ...base,
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '75000',
      HTTP_MAX_CONNECTIONS: '50',
    });
    expect(config.httpServer).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 75_000,
      maxConnections: 50,
      connectionsCheckingIntervalMs: 200,
    });
    expect(
      loadHttpServerConfig({ HTTP_HEADERS_TIMEOUT_MS: '1', HTTP_REQUEST_TIMEOUT_MS: '1' }).httpServer,
    ).toMatchObject({ connectionsCheckingIntervalMs: 50 });
  });

  it.each([
    'HTTP_HEADERS_TIMEOUT_MS',
    'HTTP_REQUEST_TIMEOUT_MS',
    'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    'HTTP_MAX_CONNECTIONS',
  ])('when %s is 0, negative, fractional or not a number, then the start is refused naming it', (name) => {
    for (const value of ['0', '-1', '-10000', '1.5', 'ten']) {
      const problems = configProblemsOf({ ...base, [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}: must be`));
    }
    expect(configProblemsOf({ ...base, [name]: '0' })[0]).toMatch(/at least 1/);
  });

  it('when a timeout is over an hour, then it is refused', () => {
    expect(configProblemsOf({ ...base, HTTP_REQUEST_TIMEOUT_MS: '3600001' })).toEqual([
      'HTTP_REQUEST_TIMEOUT_MS: must be at most 3600000 ms (an hour)',
    ]);
  });

  it('when the headers may take longer than the whole request, then HTTP_HEADERS_TIMEOUT_MS is named', () => {
    expect(configProblemsOf({ ...base, HTTP_HEADERS_TIMEOUT_MS: '20000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    ]);
  });

  it('when other variables are bad too, then every one is named in one error', () => {
    const named = configProblemsOf({
      API_TOKEN: 'short',
      WEBHOOK_TOKEN: base.WEBHOOK_TOKEN,
      HTTP_MAX_CONNECTIONS: '0',
    }).map((p) => p.split(':')[0]);
    expect(named).toEqual(expect.arrayContaining(['API_TOKEN', 'HTTP_MAX_CONNECTIONS']));
  });
});
