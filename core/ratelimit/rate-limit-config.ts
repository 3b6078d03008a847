import { z } from 'zod';
import { emptyAsUndefined, parseList } from '../config/env';
import { parseAllowListEntry } from './allow-list';

const count = (fallback: number, min = 1) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).default(fallback));

const flag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  );

const allowList = z.preprocess(
  (value) => parseList(emptyAsUndefined(value)),
  z.array(z.string().refine((entry) => parseAllowListEntry(entry) !== undefined, 'not an IP address or CIDR range')),
);

/**
 * Rate-limit keys of the api's environment; merge with `z.object({ ...other, ...rateLimitConfigSchema.shape })`
 * and turn the parsed values into factory options with `rateLimitSettings`.
 */
export const rateLimitConfigSchema = z.object({
  /** Master switch; off only for benchmarks that measure the service without the limiter. */
  RATE_LIMIT_ENABLED: flag(true),
  /** API requests per minute for a configured API key (shared by every replica through Redis). */
  RATE_LIMIT_API_KEY_PER_MIN: count(1000),
  /** API requests per minute per client IP without a valid key. */
  RATE_LIMIT_API_IP_PER_MIN: count(100),
  /** Over-limit API requests per key or IP that wait for the next minute instead of getting 429 (0 = none). */
  RATE_LIMIT_API_QUEUE: count(10, 0),
  /** Redirect burst per client IP (token bucket capacity). */
  RATE_LIMIT_REDIRECT_BURST: count(60),
  /** Tokens returned to each redirect bucket every RATE_LIMIT_REDIRECT_REFILL_SEC seconds. */
  RATE_LIMIT_REDIRECT_REFILL: count(10),
  RATE_LIMIT_REDIRECT_REFILL_SEC: count(10),
  /** Client IPs tracked by the redirect limiter per process; bounds its memory. */
  RATE_LIMIT_REDIRECT_MAX_CLIENTS: count(100_000),
  /** Comma-separated IPs and CIDR ranges (IPv4 or IPv6) never limited, e.g. load generators. */
  RATE_LIMIT_ALLOW_LIST: allowList,
});

export type RateLimitConfig = z.output<typeof rateLimitConfigSchema>;

export interface RateLimitSettings {
  readonly enabled: boolean;
  readonly allowList: readonly string[];
  readonly api: {
    readonly perKeyPoints: number;
    readonly perIpPoints: number;
    readonly durationSec: number;
    readonly queueSize: number;
  };
  readonly redirect: {
    readonly capacity: number;
    readonly refillTokens: number;
    readonly refillIntervalSec: number;
    readonly maxClients: number;
  };
}

export function rateLimitSettings(config: RateLimitConfig): RateLimitSettings {
  return {
    enabled: config.RATE_LIMIT_ENABLED,
    allowList: config.RATE_LIMIT_ALLOW_LIST,
    api: {
      perKeyPoints: config.RATE_LIMIT_API_KEY_PER_MIN,
      perIpPoints: config.RATE_LIMIT_API_IP_PER_MIN,
      durationSec: 60,
      queueSize: config.RATE_LIMIT_API_QUEUE,
    },
    redirect: {
      capacity: config.RATE_LIMIT_REDIRECT_BURST,
      refillTokens: config.RATE_LIMIT_REDIRECT_REFILL,
      refillIntervalSec: config.RATE_LIMIT_REDIRECT_REFILL_SEC,
      maxClients: config.RATE_LIMIT_REDIRECT_MAX_CLIENTS,
    },
  };
}
