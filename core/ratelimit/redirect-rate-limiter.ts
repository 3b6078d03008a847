import type { Metrics } from '../metrics/metrics';
import type { AllowList } from './allow-list';
import { TokenBucketLimiter, type TakeResult } from './token-bucket';

export interface RedirectRateLimiterOptions {
  /** Burst per client IP (original: 60). */
  readonly capacity: number;
  /** Tokens added per period (original: 10)… */
  readonly refillTokens: number;
  /** …every this many seconds (original: 10). */
  readonly refillIntervalSec: number;
  readonly allowList: AllowList;
  readonly metrics: Pick<Metrics, 'rateLimitRejections'>;
  /** Bound on tracked client IPs (memory). */
  readonly maxClients: number;
  readonly now?: () => number;
}

export interface RedirectRateLimiter {
  /**
   * Consumes one token for the client. `undefined` means the client is allow-listed (no limit, no headers).
   * The result object is reused by the next call: use it synchronously.
   */
  take(ip: string | undefined): Readonly<TakeResult> | undefined;
  /** Stops the background sweep; call on shutdown. */
  close(): void;
}

/**
 * Redirects are limited in process, not in Redis: a network round trip per redirect would cost more than the
 * redirect itself, and per-replica buckets only loosen the limit by the replica count.
 */
export function createRedirectRateLimiter(options: RedirectRateLimiterOptions): RedirectRateLimiter {
  const buckets = new TokenBucketLimiter({
    capacity: options.capacity,
    refillTokens: options.refillTokens,
    refillIntervalMs: options.refillIntervalSec * 1000,
    maxBuckets: options.maxClients,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // At 0 from the start, so the first rejection is visible to rate().
  options.metrics.rateLimitRejections.inc({ limiter: 'redirect' }, 0);
  const rejections = options.metrics.rateLimitRejections.labels('redirect');
  const sweeper = setInterval(() => buckets.sweep(), buckets.fullRefillMs);
  sweeper.unref();

  return {
    take(ip) {
      if (options.allowList(ip)) return undefined;
      const result = buckets.take(ip ?? 'unknown');
      if (!result.allowed) rejections.inc();
      return result;
    },
    close() {
      clearInterval(sweeper);
    },
  };
}
