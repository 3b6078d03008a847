import { attemptsSoFar, routeFailure } from './retry-policy';
import { ATTEMPT_HEADER, RETRY_DELAYS_MS } from './topology';

describe('retry policy', () => {
  it('reads the attempt header, treating absence and garbage as a first delivery', () => {
    expect(attemptsSoFar(undefined)).toBe(0);
    expect(attemptsSoFar({})).toBe(0);
    expect(attemptsSoFar({ [ATTEMPT_HEADER]: 2 })).toBe(2);
    expect(attemptsSoFar({ [ATTEMPT_HEADER]: '3' })).toBe(3);
    expect(attemptsSoFar({ [ATTEMPT_HEADER]: -1 })).toBe(0);
    expect(attemptsSoFar({ [ATTEMPT_HEADER]: 'x' })).toBe(0);
    expect(attemptsSoFar({ [ATTEMPT_HEADER]: 1.5 })).toBe(0);
  });

  it('walks the incremental schedule 1 s, 3 s, 5 s, then dead-letters', () => {
    expect(RETRY_DELAYS_MS).toEqual([1000, 3000, 5000]);
    expect(routeFailure('q', 0)).toEqual({ kind: 'retry', queue: 'q.retry.1', attempt: 1, delayMs: 1000 });
    expect(routeFailure('q', 1)).toEqual({ kind: 'retry', queue: 'q.retry.2', attempt: 2, delayMs: 3000 });
    expect(routeFailure('q', 2)).toEqual({ kind: 'retry', queue: 'q.retry.3', attempt: 3, delayMs: 5000 });
    expect(routeFailure('q', 3)).toEqual({ kind: 'dead_letter', queue: 'q.dlq', attempt: 3 });
    expect(routeFailure('q', 9)).toEqual({ kind: 'dead_letter', queue: 'q.dlq', attempt: 9 });
  });

  it('takes shortened delays without changing the number of retries', () => {
    const delays = [100, 300, 500];
    expect(routeFailure('q', 0, delays)).toMatchObject({ kind: 'retry', delayMs: 100 });
    expect(routeFailure('q', 2, delays)).toMatchObject({ kind: 'retry', queue: 'q.retry.3', delayMs: 500 });
    expect(routeFailure('q', 3, delays).kind).toBe('dead_letter');
  });
});
