import { z } from 'zod';
import { flag, integer, list } from '../config/env';
import { parseAllowListEntry } from './allow-list';

/** Rate-limit keys of the api's environment; `rateLimitSettings` turns them into the limiters' options. */
export const rateLimitConfigSchema = z.object({
  RATE_LIMIT_ENABLED: flag(
    'Master switch; off only for benchmarks that measure the service without the limiter.',
    true,
  ),
  RATE_LIMIT_API_KEY_PER_MIN: integer(
    'API requests per minute for a configured API key (shared by every replica through Redis).',
    {
      default: 1000,
      min: 1,
    },
  ),
  RATE_LIMIT_API_IP_PER_MIN: integer('API requests per minute per client IP without a valid key.', {
    default: 100,
    min: 1,
  }),
  RATE_LIMIT_API_QUEUE: integer(
    'Over-limit API requests per key or IP that wait for the next minute instead of getting 429.',
    {
      default: 10,
      min: 0,
    },
  ),
  RATE_LIMIT_REDIRECT_BURST: integer('Redirect burst per client IP (token bucket capacity).', { default: 60, min: 1 }),
  RATE_LIMIT_REDIRECT_REFILL: integer(
    'Tokens returned to each redirect bucket every RATE_LIMIT_REDIRECT_REFILL_SEC seconds.',
    {
      default: 10,
      min: 1,
    },
  ),
  RATE_LIMIT_REDIRECT_REFILL_SEC: integer('Seconds between redirect bucket refills.', { default: 10, min: 1 }),
  RATE_LIMIT_REDIRECT_MAX_CLIENTS: integer(
    'Client IPs tracked by the redirect limiter per process; bounds its memory.',
    {
      default: 100_000,
      min: 1,
    },
  ),
  RATE_LIMIT_ALLOW_LIST: list(
    'Comma-separated IPs and CIDR ranges (IPv4 or IPv6) never limited, e.g. load generators.',
    z.string().refine((entry) => parseAllowListEntry(entry) !== undefined, 'not an IP address or CIDR range'),
  ),
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
