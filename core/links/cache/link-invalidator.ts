import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { encodeInvalidation } from './link-invalidation';
import { createRedisLinkCache } from './redis-link-cache';

/**
 * Invalidation for a process that changes links but serves no redirects (the worker): deletes the Redis copy and
 * tells every api instance to drop its own, exactly as an api instance's resolver does.
 */
export function createLinkInvalidator(options: {
  readonly redis: Redis;
  readonly keyPrefix: string;
}): (phrase: string) => Promise<void> {
  const cache = createRedisLinkCache({
    redis: options.redis,
    keyPrefix: options.keyPrefix,
    ttlSec: 60,
    negativeTtlMs: 1_000,
    timeoutMs: 2_000,
  });
  const channel = `${options.keyPrefix}link-invalidation`;
  const origin = `worker-${randomUUID()}`;
  return async (phrase) => {
    // One connection runs commands in order: whoever hears the message and re-reads no longer finds the old copy.
    await Promise.all([cache.delete(phrase), cache.publish(channel, encodeInvalidation(phrase, origin))]);
  };
}
