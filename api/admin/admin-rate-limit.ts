import type { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import type { Metrics } from '../../core/metrics/metrics';
import { writeRateLimitHeaders, writeRetryAfter } from '../http/rate-limit-headers';

const TOO_MANY_REQUESTS = new CodedError(GeneralErrors.tooManyRequests);
const WINDOW_SEC = 60;

export interface AdminRateLimitOptions {
  readonly redis?: Redis | undefined;
  readonly keyPrefix: string;
  readonly perMinute: number;
  readonly metrics: Pick<Metrics, 'rateLimitRejections'>;
  readonly onError: (error: unknown) => void;
}

/** Counts `key` against the budget; throws the 429 when it is spent. Shared across replicas through Redis. */
export type AdminLimit = (key: string, res: Parameters<RequestHandler>[1]) => Promise<void>;

export function createAdminRateLimit(options: AdminRateLimitOptions): AdminLimit {
  const memory = new RateLimiterMemory({
    keyPrefix: options.keyPrefix,
    points: options.perMinute,
    duration: WINDOW_SEC,
  });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: options.keyPrefix,
        points: options.perMinute,
        duration: WINDOW_SEC,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;
  const rejections = options.metrics.rateLimitRejections.labels('admin');
  return async (key, res) => {
    let outcome: RateLimiterRes;
    let allowed = true;
    try {
      outcome = await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        // The store failed and had no fallback: let the request through rather than lock administrators out.
        options.onError(error);
        return;
      }
      outcome = error;
      allowed = false;
    }
    const resetSec = Math.ceil(outcome.msBeforeNext / 1000);
    writeRateLimitHeaders(res, { limit: options.perMinute, remaining: outcome.remainingPoints, resetSec });
    if (allowed) return;
    rejections.inc();
    writeRetryAfter(res, Math.max(1, resetSec));
    throw TOO_MANY_REQUESTS;
  };
}
