import { runBatch } from './consumer-batch';

describe('runBatch', () => {
  it('handles the whole batch in one call when it succeeds', async () => {
    const calls: number[][] = [];
    const outcome = await runBatch([1, 2, 3], (items) => {
      calls.push([...items]);
      return Promise.resolve();
    });
    expect(calls).toEqual([[1, 2, 3]]);
    expect(outcome).toEqual({ succeeded: [1, 2, 3], failed: [] });
  });

  it('isolates a bad item when the failure is blamed on the data', async () => {
    const bad = new Error('bad item');
    const outcome = await runBatch([1, 2, 3], (items) => (items.includes(2) ? Promise.reject(bad) : Promise.resolve()));
    expect(outcome.succeeded).toEqual([1, 3]);
    expect(outcome.failed).toEqual([{ item: 2, error: bad }]);
  });

  it('fails every item at once when the cause is shared (no one-by-one retries against a dead database)', async () => {
    let calls = 0;
    const down = new Error('connection refused');
    const outcome = await runBatch(
      [1, 2, 3],
      () => {
        calls += 1;
        return Promise.reject(down);
      },
      () => false,
    );
    expect(calls).toBe(1);
    expect(outcome.succeeded).toEqual([]);
    expect(outcome.failed.map((f) => f.item)).toEqual([1, 2, 3]);
  });

  it('does nothing for an empty batch', async () => {
    const handle = jest.fn(() => Promise.resolve());
    expect(await runBatch([], handle)).toEqual({ succeeded: [], failed: [] });
    expect(handle).not.toHaveBeenCalled();
  });
});
