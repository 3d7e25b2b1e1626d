import { mongo } from 'mongoose';

const { MongoNetworkError, MongoServerError, MongoServerSelectionError } = mongo;
import { alertBackoffMs, alertBackoffStrategy, serverUnavailable } from '../../src/queue/alert-retries';

const settings = { firstMs: 500, maxMs: 60_000 };
const noJitter = () => 1;

describe('the backoff of an alert batch', () => {
  test('when a batch keeps failing, then its waits double from the first and stay at the maximum, however many tries', () => {
    const waits = [1, 2, 3, 4, 8, 9, 50, 10_000].map((n) => alertBackoffMs(n, settings, noJitter));
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 60_000, 60_000, 60_000, 60_000]);
  });

  test('when many batches fail together, then their waits spread over the last tenth', () => {
    expect(alertBackoffMs(20, settings, () => 0)).toBe(54_000);
    expect(alertBackoffMs(20, settings, () => 0.5)).toBe(57_000);
  });

  test('when the backoff type is not ours, then the job fails rather than guess a wait', () => {
    const strategy = alertBackoffStrategy(settings);
    expect(strategy(3, 'something-else')).toBe(-1);
    expect(strategy(1, 'capped')).toBeGreaterThanOrEqual(450);
  });
});

describe('telling an unavailable server from a failure', () => {
  test.each([
    [
      'a server selection timeout',
      new MongoServerSelectionError('Server selection timed out after 30000 ms', {
        type: 'Unknown',
        servers: new Map(),
        stale: false,
        compatible: true,
        heartbeatFrequencyMS: 10_000,
        localThresholdMS: 15,
        setName: null,
        maxElectionId: null,
        maxSetVersion: null,
        commonWireVersion: 0,
        logicalSessionTimeoutMinutes: null,
      } as never),
    ],
    ['a network error', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    [
      'a primary stepping down',
      Object.assign(new MongoServerError({ message: 'not primary' }), { code: 10107 }),
    ],
    [
      'a mongoose buffering timeout',
      new Error('Operation `alert_log.updateOne()` buffering timed out after 10000ms'),
    ],
    ['a closed Redis connection', new Error('Connection is closed.')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    ],
    ['one wrapped in another', new Error('gave up', { cause: new MongoNetworkError('socket hang up') })],
  ])('when the error is %s, then it is unavailability: the batch waits for the server', (_name, error) => {
    expect(serverUnavailable(error)).toBe(true);
  });

  test.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    [
      'a document the server refuses',
      Object.assign(new MongoServerError({ message: 'too large' }), { code: 10334 }),
    ],
    ['not an error at all', 'boom'],
  ])(
    'when the error is %s, then it is a failure: the batch has a bounded number of tries',
    (_name, error) => {
      expect(serverUnavailable(error)).toBe(false);
    },
  );
});
