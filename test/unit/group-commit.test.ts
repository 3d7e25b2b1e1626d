/** groupCommit: calls made while batches run share the next batch; a lone call runs at once. */
import { groupCommit } from '../../src/concurrency';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function recorder(running: number, maxItems = 100) {
  const batches: { items: number[]; done: ReturnType<typeof deferred<void>> }[] = [];
  const apply = groupCommit<number, string>({
    run: async (items) => {
      const done = deferred<void>();
      batches.push({ items, done });
      await done.promise;
      return items.map((n) => `r${n}`);
    },
    maxItems,
    running,
  });
  return { batches, apply };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('when a call comes while nothing runs, then it runs at once, alone', async () => {
    const { batches, apply } = recorder(1);
    const answer = apply([1, 2]);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    batches[0]!.done.resolve();
    expect(await answer).toEqual(['r1', 'r2']);
  });

  it('when calls come while a batch runs, then the next batch takes them all, and each gets its own results', async () => {
    const { batches, apply } = recorder(1);
    const first = apply([1]);
    await turn();
    const later = [apply([2, 3]), apply([4]), apply([5])];
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0]!.done.resolve();
    expect(await first).toEqual(['r1']);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4, 5]]);
    batches[1]!.done.resolve();
    expect(await Promise.all(later)).toEqual([['r2', 'r3'], ['r4'], ['r5']]);
  });

  it('when two batches may run, then the second starts beside the first; a batch never exceeds maxItems but for a call alone', async () => {
    const { batches, apply } = recorder(2, 3);
    const answers = [apply([1]), apply([2]), apply([3, 4]), apply([5]), apply([6, 7, 8, 9])];
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    batches[0]!.done.resolve();
    await turn();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4, 5]]);
    batches[1]!.done.resolve();
    await turn();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4, 5], [6, 7, 8, 9]]);
    for (const b of batches) b.done.resolve();
    expect((await Promise.all(answers)).flat()).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
      'r8',
      'r9',
    ]);
  });

  it('when a batch fails, then every call in it fails with its error, and the next batch still runs', async () => {
    const { batches, apply } = recorder(1);
    const first = apply([1]);
    await turn();
    const [a, b] = [apply([2]), apply([3])];
    batches[0]!.done.reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await turn();
    batches[1]!.done.reject(new Error('still down'));
    await expect(a).rejects.toThrow('still down');
    await expect(b).rejects.toThrow('still down');
    const c = apply([4]);
    await turn();
    batches[2]!.done.resolve();
    expect(await c).toEqual(['r4']);
  });
});
