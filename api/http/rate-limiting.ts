import type { Logger } from '../../core/logging/logger';
import type { Metrics } from '../../core/metrics/metrics';
import { createAllowList } from '../../core/ratelimit/allow-list';
import { createApiRateLimiter, type ApiRateLimiter } from '../../core/ratelimit/api-rate-limiter';
import { rateLimitSettings, type RateLimitConfig } from '../../core/ratelimit/rate-limit-config';
import { createRedirectRateLimiter } from '../../core/ratelimit/redirect-rate-limiter';
import { createRateLimitRedis } from '../../core/ratelimit/redis-client';
import type { RedirectLimiter } from '../deps';
import { createApiKeyCheck } from './api-key';

export interface RateLimiting {
  /** Per client IP, in process, for the lean redirect handler; absent when RATE_LIMIT_ENABLED is off. */
  readonly redirectLimiter?: RedirectLimiter | undefined;
  /** For /v1 and the stats page, counting in Redis when there is one. */
  readonly apiLimiter?: ApiRateLimiter | undefined;
  close(): Promise<void>;
}

export interface RateLimitingConfig extends RateLimitConfig {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_KEY_PREFIX: string;
  readonly API_KEYS: readonly string[];
}

/** Both limiters from the RATE_LIMIT_* keys; the API limiter gets a Redis client of its own (fail fast, see there). */
export function createRateLimiting(
  config: RateLimitingConfig,
  deps: { readonly metrics: Pick<Metrics, 'rateLimitRejections'>; readonly logger: Logger },
): RateLimiting {
  const limits = rateLimitSettings(config);
  if (!limits.enabled) return { close: () => Promise.resolve() };
  const { metrics, logger } = deps;
  const allowList = createAllowList(limits.allowList);
  const redis = config.REDIS_URL
    ? createRateLimitRedis(config.REDIS_URL, {
        onError: (error) => logger.debug({ err: error.message }, 'rate-limit redis connection error'),
      })
    : undefined;
  const redirectLimiter = createRedirectRateLimiter({ ...limits.redirect, allowList, metrics });
  const apiLimiter = createApiRateLimiter({
    redis,
    keyPrefix: `${config.REDIS_KEY_PREFIX}rl`,
    ...limits.api,
    allowList,
    isKnownKey: createApiKeyCheck(config.API_KEYS),
    metrics,
    onError: (error) => logger.warn({ err: error }, 'rate limiter failed open'),
  });
  return {
    redirectLimiter,
    apiLimiter,
    async close() {
      redirectLimiter.close();
      await redis?.quit();
    },
  };
}
