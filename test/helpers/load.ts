/** Small tools for tests that send bursts: shuffled order, bounded concurrency. */

/** A shuffled copy (Fisher-Yates), in the order `random` decides: pass a seededRandom() to replay it. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export { eachLimited } from '../../src/concurrency';
