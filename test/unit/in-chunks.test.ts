/** Queries by many ids go out as few `$in` queries: distinct ids, sorted, in slices. */
import { IN_CHUNK_SIZE, findInChunks, inChunks } from '../../src/persistence/in-chunks';

describe('inChunks', () => {
  it('when ids repeat and outnumber the size, then each comes once, sorted, in slices of at most the size', () => {
    expect(inChunks(['d', 'b', 'a', 'b', 'e', 'c', 'a'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(inChunks([], 2)).toEqual([]);
  });

  it(`when Insights asks for its 10,000 incidents, then that is one query (${IN_CHUNK_SIZE} ids a chunk)`, async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `id-${String(i).padStart(5, '0')}`);
    const queries: number[] = [];
    const found = await findInChunks(ids, async (chunk) => {
      queries.push(chunk.length);
      return chunk.slice(0, 1);
    });
    expect(queries).toEqual([10_000]);
    expect(found).toEqual(['id-00000']);
    const more = await findInChunks([...ids, 'id-10000'], async (chunk) => [chunk.length]);
    expect(more).toEqual([10_000, 1]);
  });
});
