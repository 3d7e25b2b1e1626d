/**
 * Seeded randomness for tests, so that a failing run can be replayed. Every generator starts from TEST_SEED:
 * a fixed seed by default, `TEST_SEED=<n>` to explore others (as FC_SEED does for the fast-check properties).
 */

const DEFAULT_SEED = 20260614;

/** The seed of this run: TEST_SEED when set (an integer), else the fixed default. */
export const TEST_SEED = seedFrom(process.env.TEST_SEED);

function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`TEST_SEED must be an integer, got ${JSON.stringify(text)}`);
  return seed;
}

/** Numbers in [0, 1) from mulberry32, a small 32-bit generator: the same seed gives the same sequence. */
export function seededRandom(seed: number = TEST_SEED): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both included. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
