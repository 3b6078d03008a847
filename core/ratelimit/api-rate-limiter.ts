import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Metrics } from '../metrics/metrics';
import type { AllowList } from './allow-list';
import type { RateLimitInfo } from './rate-limit-info';
import { WaitQueue } from './wait-queue';

export type ApiLimiterName = 'api_key' | 'api_ip';

export interface ApiRateLimitDecision extends RateLimitInfo {
  readonly allowed: boolean;
  /** Whole seconds (≥ 1) when rejected, 0 when allowed. */
  readonly retryAfterSec: number;
  readonly limiter: ApiLimiterName;
}

export interface ApiClient {
  readonly ip: string | undefined;
  /** Raw value of the API key header, if any. */
  readonly apiKey: string | undefined;
  /** Asked after a queued wait; false when the client has gone, so no permit is spent on it. */
  readonly stillWanted?: () => boolean;
}

export interface ApiRateLimiterOptions {
  /**
   * Shared counters across replicas. Give it a dedicated client with `enableOfflineQueue: false` (see
   * `createRateLimitRedis`) so an outage fails fast into the in-memory insurance limiter instead of queueing.
   * Without one, limits are per process.
   */
  readonly redis?: Redis | undefined;
  readonly keyPrefix: string;
  readonly perKeyPoints: number;
  readonly perIpPoints: number;
  readonly durationSec: number;
  /** Over-limit requests per partition that wait for the next window instead of failing (0 = none). */
  readonly queueSize: number;
  readonly allowList: AllowList;
  /** Whether a header value is a configured key; unknown keys are limited by IP (see `partition`). */
  readonly isKnownKey: (key: string) => boolean;
  readonly metrics: Pick<Metrics, 'rateLimitRejections'>;
  /** Told about store failures that had no fallback; the request is then let through (fail open). */
  readonly onError?: (error: unknown) => void;
}

export interface ApiRateLimiter {
  /** `undefined` when the client is not limited at all (allow-listed, or the limiter failed open). */
  limit(client: ApiClient): Promise<ApiRateLimitDecision | undefined>;
}

interface Partition {
  readonly name: ApiLimiterName;
  readonly queue: WaitQueue;
  readonly points: number;
}

export function createApiRateLimiter(options: ApiRateLimiterOptions): ApiRateLimiter {
  const byKey = partition('api_key', 'key', options.perKeyPoints, options);
  const byIp = partition('api_ip', 'ip', options.perIpPoints, options);
  // At 0 from the start, so the first rejection is visible to rate().
  for (const limiter of ['api_key', 'api_ip']) options.metrics.rateLimitRejections.inc({ limiter }, 0);
  const rejections = {
    api_key: options.metrics.rateLimitRejections.labels('api_key'),
    api_ip: options.metrics.rateLimitRejections.labels('api_ip'),
  };

  return {
    async limit(client) {
      if (options.allowList(client.ip)) return undefined;
      // The limiter runs before authentication, so only a configured key earns the key budget; anything else
      // (absent, wrong, made up to dodge the IP limit) is counted against the client's IP.
      const known = client.apiKey !== undefined && client.apiKey !== '' && options.isKnownKey(client.apiKey);
      const { name, queue, points } = known ? byKey : byIp;
      const key = known ? hashKey(client.apiKey ?? '') : (client.ip ?? 'unknown');
      try {
        const outcome = await queue.consume(key, client.stillWanted);
        if (!outcome.allowed && !outcome.abandoned) rejections[name].inc();
        const resetSec = Math.ceil(outcome.res.msBeforeNext / 1000);
        return {
          allowed: outcome.allowed,
          retryAfterSec: outcome.allowed ? 0 : Math.max(1, resetSec),
          limiter: name,
          limit: points,
          remaining: outcome.res.remainingPoints,
          resetSec,
        };
      } catch (error) {
        options.onError?.(error);
        return undefined;
      }
    },
  };
}

function partition(name: ApiLimiterName, suffix: string, points: number, options: ApiRateLimiterOptions): Partition {
  const keyPrefix = `${options.keyPrefix}:${suffix}`;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: options.durationSec });
  const limiter: RateLimiterAbstract =
    options.redis === undefined
      ? memory
      : new RateLimiterRedis({
          storeClient: options.redis,
          keyPrefix,
          points,
          duration: options.durationSec,
          // Fail over to memory at once while reconnecting rather than waiting on a dead socket.
          rejectIfRedisNotReady: true,
          // During an outage each replica enforces the full limit on its own: looser by the replica count,
          // which beats rejecting everyone or no limit at all.
          insuranceLimiter: memory,
          // Once a client is over, refuse it from memory for the rest of the window: floods cost no Redis calls.
          inMemoryBlockOnConsumed: points + 1,
        });
  return { name, queue: new WaitQueue(limiter, options.queueSize), points };
}

/** Keys are secrets: only a digest reaches Redis. */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 24);
}
