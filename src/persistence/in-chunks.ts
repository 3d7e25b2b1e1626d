import { trusted } from 'mongoose';

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

/**
 * Statements in one bulk write command, at most. FerretDB holds one PostgreSQL connection for each statement
 * of a write command until the command ends, from a pool of 50: a bulk write of 50 updates (or a few of 20 at
 * once on different collections) waits forever for a connection (measured on FerretDB 1.24.2). MongoDB has
 * no such limit; ten per command costs a tenth of a command per statement.
 */
export const STATEMENTS_PER_WRITE = 10;

/** The items in slices of at most `size`, in order. */
export function slices<T>(items: readonly T[], size = STATEMENTS_PER_WRITE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A filter value matching any of `values`: the value itself when there is one. MongoDB serves both from the
 * same index; FerretDB hands a plain equality to PostgreSQL but reads and decodes the whole collection for an
 * `$in` (measured: 725 against 34 updates/s), so a batch of one group costs it no scan.
 */
export function anyOf<T>(values: readonly T[]): T | { $in: T[] } {
  return values.length === 1 ? values[0]! : trusted<{ $in: T[] }>({ $in: [...values] });
}
