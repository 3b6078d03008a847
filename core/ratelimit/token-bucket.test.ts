import { TokenBucketLimiter } from './token-bucket';

function limiterAt(start = 1_000) {
  const clock = { now: start };
  const limiter = new TokenBucketLimiter({
    capacity: 60,
    refillTokens: 10,
    refillIntervalMs: 10_000,
    maxBuckets: 100,
    now: () => clock.now,
  });
  return { clock, limiter };
}

function drain(limiter: TokenBucketLimiter, key: string, times: number): number {
  let allowed = 0;
  for (let i = 0; i < times; i++) if (limiter.take(key).allowed) allowed++;
  return allowed;
}

describe('TokenBucketLimiter', () => {
  it('allows a burst of 60 and rejects the 61st with a retry hint to the next refill', () => {
    const { clock, limiter } = limiterAt();

    const allowed = drain(limiter, 'a', 60);
    clock.now += 2_500;
    const rejected = { ...limiter.take('a') };

    expect(allowed).toBe(60);
    expect(rejected).toEqual({ allowed: false, retryAfterSec: 8, limit: 60, remaining: 0, resetSec: 58 });
  });

  it('adds 10 tokens per full 10 s period and none before', () => {
    const { clock, limiter } = limiterAt();
    drain(limiter, 'a', 60);

    clock.now += 9_999;
    const early = limiter.take('a').allowed;
    clock.now += 1;
    const refilled = drain(limiter, 'a', 11);
    clock.now += 25_000;
    const afterTwoMorePeriods = drain(limiter, 'a', 21);

    expect(early).toBe(false);
    expect(refilled).toBe(10);
    expect(afterTwoMorePeriods).toBe(20);
  });

  it('never holds more than the capacity however long a client rests', () => {
    const { clock, limiter } = limiterAt();
    limiter.take('a');

    clock.now += 3_600_000;

    expect(drain(limiter, 'a', 100)).toBe(60);
  });

  it('reports remaining tokens and seconds until full on allowed takes', () => {
    const { clock, limiter } = limiterAt();

    const first = { ...limiter.take('a') };
    drain(limiter, 'a', 20);
    clock.now += 4_000;
    const later = { ...limiter.take('a') };

    expect(first).toEqual({ allowed: true, retryAfterSec: 0, limit: 60, remaining: 59, resetSec: 10 });
    expect(later).toEqual({ allowed: true, retryAfterSec: 0, limit: 60, remaining: 38, resetSec: 26 });
  });

  it('keeps one bucket per key', () => {
    const { limiter } = limiterAt();

    drain(limiter, 'a', 60);

    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('sweeps buckets that have refilled completely and keeps the others', () => {
    const { clock, limiter } = limiterAt();
    drain(limiter, 'rested', 1);
    clock.now += 50_000;
    drain(limiter, 'busy', 30);

    clock.now += 10_000;
    const removed = limiter.sweep();

    expect(removed).toBe(1);
    expect(limiter.size).toBe(1);
    expect(limiter.take('busy').remaining).toBe(39);
  });

  it('forgets the longest-tracked client when the bound is reached', () => {
    const clock = { now: 0 };
    const limiter = new TokenBucketLimiter({
      capacity: 1,
      refillTokens: 1,
      refillIntervalMs: 1_000,
      maxBuckets: 2,
      now: () => clock.now,
    });
    limiter.take('a');
    limiter.take('b');

    limiter.take('c');

    expect(limiter.size).toBe(2);
    expect(limiter.take('b').allowed).toBe(false);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('refuses a configuration that could never allow a request', () => {
    expect(() => new TokenBucketLimiter({ capacity: 0, refillTokens: 1, refillIntervalMs: 1, maxBuckets: 1 })).toThrow(
      RangeError,
    );
    expect(() => new TokenBucketLimiter({ capacity: 1, refillTokens: 1, refillIntervalMs: 0, maxBuckets: 1 })).toThrow(
      RangeError,
    );
  });
});
