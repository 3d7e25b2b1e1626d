/** The tests' seeded randomness (test/helpers/random.ts, test/helpers/load.ts): a seed replays a run. */
import { shuffle } from '../helpers/load';
import { randomInt, seededRandom } from '../helpers/random';

const draws = (random: () => number, n: number) => Array.from({ length: n }, () => random());

describe('seededRandom', () => {
  it('when seeded with 20260614, then it gives the reference mulberry32 sequence', () => {
    expect(draws(seededRandom(20260614), 3)).toEqual([
      0.5947930107358843, 0.9652073117904365, 0.8128513272386044,
    ]);
  });

  it('when two generators share a seed, then they give the same numbers; another seed gives others', () => {
    const numbers = draws(seededRandom(7), 100);
    expect(draws(seededRandom(7), 100)).toEqual(numbers);
    expect(draws(seededRandom(8), 100)).not.toEqual(numbers);
    for (const n of numbers) expect(n >= 0 && n < 1).toBe(true);
  });

  it('when integers are drawn in a range, then each is in it and both ends are reached', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 1000 }, () => randomInt(random, 10, 49));
    expect(Math.min(...values)).toBe(10);
    expect(Math.max(...values)).toBe(49);
    expect(values.every(Number.isInteger)).toBe(true);
  });
});

describe('shuffle', () => {
  it('when shuffled with the same seed, then the order is the same, and it is a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = shuffle(items, seededRandom(3));
    expect(shuffle(items, seededRandom(3))).toEqual(once);
    expect(once).not.toEqual(items);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
  });
});
