import { z } from 'zod';
import { integer } from '../../config/env';

/**
 * Redirect-cache tuning keys, composed into the api's config schema. The L1 TTL bounds how long an instance can
 * serve a changed link when an invalidation message is lost, so it is capped at a minute; the negative TTL bounds
 * how long a freshly created phrase can 404 in the same case.
 */
export const cacheConfigSchema = z.object({
  CACHE_L1_MAX_ENTRIES: integer('Links kept in each process (LRU beyond that).', {
    default: 100_000,
    min: 1_000,
    max: 10_000_000,
  }),
  CACHE_L1_MAX_BYTES: integer('Approximate memory cap of the in-process cache.', {
    default: 67_108_864,
    min: 1_048_576,
    max: 4_294_967_296,
  }),
  CACHE_L1_TTL_SEC: integer('How long a process trusts its own copy of a link.', { default: 30, min: 5, max: 60 }),
  CACHE_L2_TTL_SEC: integer('How long a link stays in Redis.', { default: 600, min: 60, max: 3_600 }),
  CACHE_NEGATIVE_TTL_SEC: integer('How long an unknown phrase is remembered as unknown (L1 and Redis).', {
    default: 5,
    min: 1,
    max: 60,
  }),
  CACHE_L2_TIMEOUT_MS: integer('A Redis lookup slower than this counts as failed; the redirect reads the database.', {
    default: 100,
    min: 5,
    max: 5_000,
  }),
});

export type CacheConfig = z.output<typeof cacheConfigSchema>;

/** The resolver's cache options from the parsed keys, in the units it takes. */
export function cacheSettings(config: CacheConfig) {
  return {
    l1MaxEntries: config.CACHE_L1_MAX_ENTRIES,
    l1MaxBytes: config.CACHE_L1_MAX_BYTES,
    l1TtlMs: config.CACHE_L1_TTL_SEC * 1_000,
    l2TtlSec: config.CACHE_L2_TTL_SEC,
    negativeTtlMs: config.CACHE_NEGATIVE_TTL_SEC * 1_000,
    l2TimeoutMs: config.CACHE_L2_TIMEOUT_MS,
  } as const;
}

export type CacheSettings = ReturnType<typeof cacheSettings>;
