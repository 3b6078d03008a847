import { setTimeout as delay } from 'node:timers/promises';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Redis reports the TTL rounded to the millisecond; waking exactly on it can still find the old window. */
const WAKE_MARGIN_MS = 15;

export interface ConsumeOutcome {
  readonly allowed: boolean;
  readonly res: RateLimiterRes;
  /** The caller left while queued; no permit was spent and nothing should be counted. */
  readonly abandoned: boolean;
}

/**
 * Lets up to `size` over-limit requests per key wait for the next window instead of failing at once (the
 * original's `QueueLimit`). `RateLimiterQueue` from the library is not used: it keeps one queue object per key
 * forever (unbounded memory when keyed by client IP), resolves with the remaining points only (so no reset
 * time for `RateLimit-Reset`), and retries a waiter until it succeeds however long that takes. Here the
 * per-key counters are deleted when they reach zero, and a waiter gets exactly one retry when the window
 * resets, so no request is held longer than one window. Queues are per process, in front of the shared
 * counter.
 */
export class WaitQueue {
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly size: number,
  ) {}

  async consume(key: string, stillWanted?: () => boolean): Promise<ConsumeOutcome> {
    const first = await attempt(this.limiter, key);
    if (first.allowed || this.size <= 0) return first;
    const queued = this.waiting.get(key) ?? 0;
    if (queued >= this.size) return first;

    this.waiting.set(key, queued + 1);
    try {
      await delay(first.res.msBeforeNext + WAKE_MARGIN_MS);
      if (stillWanted !== undefined && !stillWanted()) return { ...first, abandoned: true };
      return await attempt(this.limiter, key);
    } finally {
      const left = (this.waiting.get(key) ?? 1) - 1;
      if (left <= 0) this.waiting.delete(key);
      else this.waiting.set(key, left);
    }
  }

  /** Requests currently waiting for `key` (for tests and diagnostics). */
  queued(key: string): number {
    return this.waiting.get(key) ?? 0;
  }
}

async function attempt(limiter: RateLimiterAbstract, key: string): Promise<ConsumeOutcome> {
  try {
    return { allowed: true, res: await limiter.consume(key), abandoned: false };
  } catch (rejection) {
    // The library rejects with a RateLimiterRes when over the limit and with an Error when the store failed.
    if (rejection instanceof RateLimiterRes) return { allowed: false, res: rejection, abandoned: false };
    throw rejection;
  }
}
