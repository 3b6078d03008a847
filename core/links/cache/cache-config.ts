import { z } from 'zod';
import { emptyAsUndefined } from '../../config/env';

function intSetting(min: number, max: number, fallback: number, description: string) {
  return z
    .preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback))
    .describe(description);
}

/**
 * Redirect-cache tuning keys, to be merged into the api's config schema (`schema.extend(cacheConfigSchema.shape)`).
 * The L1 TTL bounds how long an instance can serve a changed link when an invalidation message is lost, so it is
 * capped at a minute; the negative TTL bounds how long a freshly created phrase can 404 in the same case.
 */
export const cacheConfigSchema = z.object({
  CACHE_L1_MAX_ENTRIES: intSetting(1_000, 10_000_000, 100_000, 'Links kept in each process (LRU beyond that).'),
  CACHE_L1_MAX_BYTES: intSetting(1_048_576, 4_294_967_296, 67_108_864, 'Approximate memory cap of the in-process cache.'),
  CACHE_L1_TTL_SEC: intSetting(5, 60, 30, 'How long a process trusts its own copy of a link.'),
  CACHE_L2_TTL_SEC: intSetting(60, 3_600, 600, 'How long a link stays in Redis.'),
  CACHE_NEGATIVE_TTL_SEC: intSetting(1, 60, 5, 'How long an unknown phrase is remembered as unknown (L1 and Redis).'),
  CACHE_L2_TIMEOUT_MS: intSetting(5, 5_000, 100, 'A Redis lookup slower than this counts as failed; the redirect reads the database.'),
});

export type CacheConfig = z.output<typeof cacheConfigSchema>;

/** The resolver's options from the parsed keys, in the units it takes. */
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
