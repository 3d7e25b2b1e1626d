import { sameTurnBatch } from '../../src/queue/same-turn-batch';

/** A batcher whose runs are recorded; each item's result is the item doubled. */
function recorded(options: { maxItems?: number; maxWeight?: number } = {}) {
  const runs: number[][] = [];
  const submit = sameTurnBatch<number, number>({
    run: (items) => {
      runs.push([...items]);
      return Promise.resolve(items.map((n) => n * 2));
    },
    maxItems: options.maxItems ?? 100,
    ...(options.maxWeight === undefined ? {} : { maxWeight: options.maxWeight, weightOf: (n: number) => n }),
  });
  return { runs, submit };
}

describe('same-turn batches', () => {
  it('when calls are made in one turn of the event loop, then they share one run and each gets its own result', async () => {
    const { runs, submit } = recorded();
    await expect(Promise.all([1, 2, 3].map(submit))).resolves.toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('when calls are made in separate turns, then none waits for another: one run each', async () => {
    const { runs, submit } = recorded();
    expect(await submit(1)).toBe(2);
    expect(await submit(2)).toBe(4);
    expect(runs).toEqual([[1], [2]]);
  });

  it('when a batch fills up, then it runs at once and the rest of the turn starts the next one', async () => {
    const { runs, submit } = recorded({ maxItems: 2 });
    await expect(Promise.all([1, 2, 3, 4, 5].map(submit))).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('when the items weigh enough, then the batch runs before it has maxItems', async () => {
    const { runs, submit } = recorded({ maxWeight: 10 });
    await Promise.all([4, 5, 6, 1].map(submit));
    expect(runs).toEqual([[4, 5, 6], [1]]);
  });

  it('when a run fails, then every call of that batch fails with its error, and the next batch is unaffected', async () => {
    let fail = true;
    const submit = sameTurnBatch<number, number>({
      run: (items) => (fail ? Promise.reject(new Error('redis is down')) : Promise.resolve(items)),
      maxItems: 10,
    });
    const first = [1, 2].map(submit);
    await expect(first[0]).rejects.toThrow('redis is down');
    await expect(first[1]).rejects.toThrow('redis is down');
    fail = false;
    await expect(submit(3)).resolves.toBe(3);
  });

  it("when a run answers the wrong number of results, then its calls fail rather than get another item's result", async () => {
    const submit = sameTurnBatch<number, number>({ run: () => Promise.resolve([1]), maxItems: 10 });
    await expect(Promise.all([1, 2].map(submit))).rejects.toThrow('a batch of 2 answered 1 results');
  });
});
