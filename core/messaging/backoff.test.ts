import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt', () => {
    const highest = (attempt: number) => backoffDelay(attempt, { initialDelayMs: 100, maxDelayMs: 100_000 }, () => 1);

    expect([1, 2, 3, 4].map(highest)).toEqual([100, 200, 400, 800]);
  });

  it('never waits less than half the ceiling nor more than the cap', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 5_000 };

    expect(backoffDelay(3, options, () => 0)).toBe(200);
    expect(backoffDelay(50, options, () => 1)).toBe(5_000);
    expect(backoffDelay(5_000, options, () => 0)).toBe(2_500);
  });

  it('treats attempt 0 like the first attempt', () => {
    expect(backoffDelay(0, { initialDelayMs: 100 }, () => 1)).toBe(100);
  });
});
