import type { RateLimitInfo } from './rate-limit-info';

export interface TokenBucketOptions {
  /** Tokens a new or fully rested client starts with (the burst). */
  readonly capacity: number;
  /** Tokens added each interval, in one step as the original's replenishment timer does. */
  readonly refillTokens: number;
  readonly refillIntervalMs: number;
  /** Upper bound on tracked clients; beyond it the oldest-tracked bucket is forgotten (treated as full). */
  readonly maxBuckets: number;
  /** Monotonic milliseconds; injected by tests. */
  readonly now?: () => number;
}

/** Outcome of one `take`. `retryAfterSec` is 0 when allowed, otherwise whole seconds to the next refill (≥ 1). */
export interface TakeResult extends RateLimitInfo {
  readonly allowed: boolean;
  readonly retryAfterSec: number;
}

interface Bucket {
  tokens: number;
  /** Start of the current refill period, so refills stay on the bucket's own 10 s grid. */
  refilledAt: number;
}

type MutableTakeResult = { -readonly [K in keyof TakeResult]: TakeResult[K] };

/**
 * Per-key token buckets held in process memory: O(1) per `take`, refill computed lazily from timestamps, and
 * nothing allocated per call except a bucket for a key seen for the first time. A bucket that would be full
 * again is equivalent to no bucket, so `sweep()` drops those and memory tracks only recently active clients.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillTokens: number;
  private readonly interval: number;
  private readonly maxBuckets: number;
  private readonly now: () => number;
  /** Reused across calls: the redirect path reads it synchronously, so one object serves every request. */
  private readonly result: MutableTakeResult;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1 && options.refillTokens >= 1 && options.refillIntervalMs > 0)) {
      throw new RangeError('Token bucket needs capacity ≥ 1, refillTokens ≥ 1 and a positive interval');
    }
    this.capacity = options.capacity;
    this.refillTokens = options.refillTokens;
    this.interval = options.refillIntervalMs;
    this.maxBuckets = options.maxBuckets;
    this.now = options.now ?? (() => performance.now());
    this.result = { allowed: true, retryAfterSec: 0, limit: this.capacity, remaining: this.capacity, resetSec: 0 };
  }

  /**
   * Takes one token for `key`. The returned object is reused by the next call: read it (or copy it) before
   * calling `take` again.
   */
  take(key: string): Readonly<TakeResult> {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.evictOldest();
      bucket = { tokens: this.capacity, refilledAt: now };
      this.buckets.set(key, bucket);
    } else {
      this.refill(bucket, now);
    }

    const result = this.result;
    const sincePeriod = now - bucket.refilledAt;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      result.allowed = true;
      result.retryAfterSec = 0;
    } else {
      result.allowed = false;
      result.retryAfterSec = Math.max(1, Math.ceil((this.interval - sincePeriod) / 1000));
    }
    result.remaining = bucket.tokens;
    result.resetSec = this.secondsUntilFull(bucket.tokens, sincePeriod);
    return result;
  }

  /** Forgets every bucket that has refilled completely by now. Runs off the request path (a timer). */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.capacity) {
        this.buckets.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Number of clients currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Milliseconds for an empty bucket to fill up; a sensible sweep interval. */
  get fullRefillMs(): number {
    return Math.ceil(this.capacity / this.refillTokens) * this.interval;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = now - bucket.refilledAt;
    if (elapsed < this.interval) return;
    const periods = Math.floor(elapsed / this.interval);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + periods * this.refillTokens);
    bucket.refilledAt += periods * this.interval;
  }

  private secondsUntilFull(tokens: number, sincePeriod: number): number {
    const missing = this.capacity - tokens;
    if (missing <= 0) return 0;
    const ms = Math.ceil(missing / this.refillTokens) * this.interval - sincePeriod;
    return Math.max(0, Math.ceil(ms / 1000));
  }

  /** Map iteration order is insertion order, so the first key is the longest-tracked client. */
  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
