/**
 * Gathers the calls made in one turn of the event loop and runs them as one batch right after that turn
 * (setImmediate: no call waits on a timer, a lone call is run at once), or straight away once the batch is
 * full. Each call gets its own item's result; if the batch fails, every call in it fails with that error.
 */
export interface SameTurnBatchOptions<T, R> {
  /** Runs one batch; answers one result per item, in order. */
  run(items: T[]): Promise<R[]>;
  maxItems: number;
  /** With `weightOf`: a batch is also full once its items weigh this much (bytes, say). */
  maxWeight?: number;
  weightOf?: (item: T) => number;
}

export function sameTurnBatch<T, R>(options: SameTurnBatchOptions<T, R>): (item: T) => Promise<R> {
  interface Pending {
    items: T[];
    weight: number;
    settle: { resolve: (result: R) => void; reject: (error: unknown) => void }[];
    flushed: boolean;
  }
  let pending: Pending | null = null;
  const flush = (batch: Pending) => {
    if (batch.flushed) return;
    batch.flushed = true;
    if (pending === batch) pending = null;
    Promise.resolve()
      .then(() => options.run(batch.items))
      .then((results) => {
        if (results.length !== batch.items.length)
          throw new Error(`a batch of ${batch.items.length} answered ${results.length} results`);
        batch.settle.forEach((s, i) => s.resolve(results[i]!));
      })
      .catch((error: unknown) => batch.settle.forEach((s) => s.reject(error)));
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      let batch = pending;
      if (batch === null) {
        const created: Pending = { items: [], weight: 0, settle: [], flushed: false };
        pending = batch = created;
        setImmediate(() => flush(created));
      }
      batch.items.push(item);
      batch.settle.push({ resolve, reject });
      batch.weight += options.weightOf?.(item) ?? 0;
      const heavy = options.maxWeight !== undefined && batch.weight >= options.maxWeight;
      if (batch.items.length >= options.maxItems || heavy) flush(batch);
    });
}
