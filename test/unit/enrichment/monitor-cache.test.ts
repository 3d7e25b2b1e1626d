import { readMonitorDetails } from '../../../src/domain/enrichment-monitor';
import { createMonitorCache } from '../../../src/enrichment/monitor-cache';

const details = (id: number) => readMonitorDetails({ id, query: `avg(last_5m):avg:m${id}{*} > 1` });

describe('createMonitorCache', () => {
  test('when a monitor was read, then it is given back until its time is over', () => {
    let now = 1_000;
    const cache = createMonitorCache({ ttlMs: 100, now: () => now });
    cache.set(1, details(1));
    now += 99;
    expect(cache.get(1)?.id).toBe(1);
    now += 1;
    expect(cache.get(1)).toBeUndefined();
  });

  test('when more monitors are kept than it holds, then the one set longest ago goes first', () => {
    const cache = createMonitorCache({ maxEntries: 2 });
    cache.set(1, details(1));
    cache.set(2, details(2));
    cache.set(1, details(1));
    cache.set(3, details(3));
    expect([cache.get(1)?.id, cache.get(2), cache.get(3)?.id]).toEqual([1, undefined, 3]);
  });
});
