import { Redis, type RedisOptions } from 'ioredis';

export interface RateLimitRedisOptions {
  /** Per-command ceiling: a stalled (connected but unresponsive) Redis then falls back to memory too. */
  readonly commandTimeoutMs?: number;
  /** Connection errors are expected during an outage; report them (e.g. debug log) instead of crashing. */
  readonly onError?: (error: Error) => void;
  /** Anything else ioredis accepts (TLS, credentials, timeouts); the fail-fast settings below take precedence. */
  readonly redisOptions?: Omit<RedisOptions, 'replyMapping'>;
}

/**
 * A Redis client meant only for the rate limiter. It must not share the cache's client: the limiter wants
 * commands to fail immediately while disconnected (`enableOfflineQueue: false`, as rate-limiter-flexible
 * recommends) so requests fall through to the insurance limiter instead of piling up behind a reconnect.
 */
export function createRateLimitRedis(url: string, options: RateLimitRedisOptions = {}): Redis {
  const client = new Redis(url, {
    ...options.redisOptions,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    // Keep reconnecting for as long as the process lives; capped so recovery is noticed within seconds.
    retryStrategy: options.redisOptions?.retryStrategy ?? ((attempt) => Math.min(attempt * 200, 2_000)),
  });
  client.on('error', options.onError ?? (() => undefined));
  return client;
}
