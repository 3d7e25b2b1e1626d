/**
 * A query by a long list of ids, as few `$in` queries as can be: at most IN_CHUNK_SIZE ids each, so Insights'
 * 10,000 incidents take one query per collection. Each query is an index walk on MongoDB, but a scan of the
 * whole collection on FerretDB (which uses no secondary index): fewer, larger queries are what keep it fast
 * there. 10,000 ids make a filter of about 300 KB, far below the 16 MB a command may have.
 */
export const IN_CHUNK_SIZE = 10_000;

/** The distinct ids, sorted (so answers sorted by id within each chunk are sorted overall), in slices of `size`. */
export function inChunks(ids: readonly string[], size = IN_CHUNK_SIZE): string[][] {
  const distinct = [...new Set(ids)].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < distinct.length; i += size) chunks.push(distinct.slice(i, i + size));
  return chunks;
}

/** Runs `query` over each chunk of ids, one after the other, and concatenates the answers. */
export async function findInChunks<T>(
  ids: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const found: T[] = [];
  for (const chunk of inChunks(ids)) found.push(...(await query(chunk)));
  return found;
}
