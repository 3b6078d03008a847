import { z } from 'zod';
import { cacheConfigSchema, cacheSettings } from './cache-config';

describe('cacheConfigSchema', () => {
  it('has a default for every key', () => {
    const config = cacheConfigSchema.parse({});

    expect(cacheSettings(config)).toEqual({
      l1MaxEntries: 100_000,
      l1MaxBytes: 64 * 1024 * 1024,
      l1TtlMs: 30_000,
      l2TtlSec: 600,
      negativeTtlMs: 5_000,
      l2TimeoutMs: 100,
    });
  });

  it('reads strings from the environment and treats empty values as unset', () => {
    const config = cacheConfigSchema.parse({
      CACHE_L1_TTL_SEC: '5',
      CACHE_L2_TTL_SEC: '',
      CACHE_NEGATIVE_TTL_SEC: '60',
    });

    expect(config).toMatchObject({ CACHE_L1_TTL_SEC: 5, CACHE_L2_TTL_SEC: 600, CACHE_NEGATIVE_TTL_SEC: 60 });
  });

  it.each([
    ['CACHE_L1_TTL_SEC', '4'],
    ['CACHE_L1_TTL_SEC', '61'],
    ['CACHE_L2_TTL_SEC', '59'],
    ['CACHE_L2_TTL_SEC', '3601'],
    ['CACHE_NEGATIVE_TTL_SEC', '0'],
    ['CACHE_L1_MAX_ENTRIES', 'lots'],
  ])('rejects %s=%s', (key, value) => {
    const result = cacheConfigSchema.safeParse({ [key]: value });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([key]);
  });

  it('merges into a process schema', () => {
    const schema = z.object({ PORT: z.coerce.number().default(8080) }).extend(cacheConfigSchema.shape);

    expect(schema.parse({ CACHE_L1_TTL_SEC: '10' })).toMatchObject({ PORT: 8080, CACHE_L1_TTL_SEC: 10 });
  });
});
