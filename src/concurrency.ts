/** Runs `fn` over `items`, at most `limit` at a time, in order of `items`. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (next < items.length) await fn(items[(next += 1) - 1]!);
    }),
  );
}

export interface GroupCommitOptions<T, R> {
  /** Runs one batch; answers one result per item, in order. */
  run(items: T[]): Promise<R[]>;
  /** Items in one batch, at most (a call with more runs alone). */
  maxItems: number;
  /** Batches running at once. */
  running: number;
}

/**
 * Group commit: calls made while `running` batches are in flight wait, and the next batch takes every call
 * waiting then (up to maxItems), so that under load many callers share one batch's round trips, while a call
 * made when nothing runs starts at once. Each call gets its own items' results; if a batch fails, every call
 * in it fails with that error.
 */
export function groupCommit<T, R>(options: GroupCommitOptions<T, R>): (items: readonly T[]) => Promise<R[]> {
  interface Call {
    items: readonly T[];
    resolve: (results: R[]) => void;
    reject: (error: unknown) => void;
  }
  const waiting: Call[] = [];
  let active = 0;
  const pump = () => {
    while (active < options.running && waiting.length > 0) {
      const calls = [waiting.shift()!];
      let size = calls[0]!.items.length;
      while (waiting.length > 0 && size + waiting[0]!.items.length <= options.maxItems) {
        size += waiting[0]!.items.length;
        calls.push(waiting.shift()!);
      }
      active += 1;
      Promise.resolve()
        .then(() => options.run(calls.flatMap((c) => [...c.items])))
        .then((results) => {
          if (results.length !== size)
            throw new Error(`a batch of ${size} answered ${results.length} results`);
          let at = 0;
          for (const call of calls) {
            call.resolve(results.slice(at, at + call.items.length));
            at += call.items.length;
          }
        })
        .catch((error: unknown) => calls.forEach((c) => c.reject(error)))
        .finally(() => {
          active -= 1;
          pump();
        });
    }
  };
  return (items) =>
    new Promise<R[]>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      pump();
    });
}
