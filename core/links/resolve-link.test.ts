import { cacheConfigSchema, cacheSettings } from './cache/cache-config';
import type { Pool } from 'pg';
import { createMetrics } from '../metrics/metrics';
import type { ResolvedLink } from './link';
import { createLinkResolver, type LinkResolverOptions } from './resolve-link';

const link: ResolvedLink = {
  id: '7d3f1c2a-0000-4000-8000-000000000001',
  targetUrl: 'https://example.com/a',
  languageId: 1,
  themeId: 2,
};

/** Answers the redirect query from a map, counting queries; `gate` holds answers back to test concurrency. */
function fakePool(rows: Map<string, ResolvedLink>) {
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  const pool = {
    queries: 0,
    fail: false,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    async query(config: { values: [string] }) {
      pool.queries += 1;
      // Read before waiting, as a database answers from the snapshot it had when the query arrived.
      const found = rows.get(config.values[0]);
      if (gate) await gate;
      if (pool.fail) throw new Error('connection refused');
      return {
        rows: found
          ? [
              {
                id: found.id,
                target_url: found.targetUrl,
                language_id: found.languageId,
                theme_id: found.themeId,
                is_deleted: false,
                disabled_at: null,
                expires_at: null,
                max_visits: null,
                total_visits: null,
              },
            ]
          : [],
      };
    },
  };
  return pool;
}

const DEFAULT_CACHE = cacheSettings(cacheConfigSchema.parse({}));

function setup(
  overrides: Partial<LinkResolverOptions> = {},
  primaryRows = new Map<string, ResolvedLink>(),
  replicaRows = primaryRows,
) {
  let time = 1_000_000;
  const primary = fakePool(primaryRows);
  const read = replicaRows === primaryRows ? primary : fakePool(replicaRows);
  const metrics = createMetrics({ service: 'test', defaultMetrics: false });
  const logger = { warn: jest.fn() };
  const resolver = createLinkResolver({
    pools: { primary: primary as unknown as Pool, read: read as unknown as Pool },
    metrics,
    logger,
    cache: { ...DEFAULT_CACHE, l1TtlMs: 30_000, negativeTtlMs: 5_000 },
    keyPrefix: 'offndat-test:',
    now: () => time,
    ...overrides,
  });
  const counted = async (level: string, result: string) =>
    (await metrics.cacheRequests.get()).values.find((v) => v.labels.level === level && v.labels.result === result)
      ?.value;
  return { resolver, primary, read, logger, counted, advance: (ms: number) => (time += ms) };
}

describe('createLinkResolver without Redis', () => {
  it('serves a second lookup from L1, also synchronously through peek', async () => {
    const { resolver, primary, counted } = setup({}, new Map([['penguin', link]]));

    const peekedBefore = resolver.peek('penguin');
    const first = await resolver.resolve('penguin');
    const peeked = resolver.peek('penguin');
    const second = await resolver.resolve('penguin');

    expect(peekedBefore).toBeUndefined();
    expect([first, peeked, second]).toEqual([link, link, link]);
    expect(primary.queries).toBe(1);
    expect(await counted('l1', 'miss')).toBe(1);
    expect(await counted('l1', 'hit')).toBe(2);
    expect(await counted('db', 'hit')).toBe(1);
  });

  it('reads the database again once the L1 entry expires', async () => {
    const { resolver, primary, advance } = setup({}, new Map([['penguin', link]]));
    await resolver.resolve('penguin');

    advance(30_001);
    await resolver.resolve('penguin');

    expect(primary.queries).toBe(2);
  });

  it('shares one database lookup between concurrent misses for the same phrase', async () => {
    const { resolver, primary } = setup({}, new Map([['penguin', link]]));
    primary.hold();

    const lookups = Promise.all([
      resolver.resolve('penguin'),
      resolver.resolve('penguin'),
      resolver.resolve('penguin'),
    ]);
    primary.release();

    expect(await lookups).toEqual([link, link, link]);
    expect(primary.queries).toBe(1);
  });

  it('asks the primary when the replica does not have the link yet', async () => {
    const { resolver, primary, read, counted } = setup({}, new Map([['fresh', link]]), new Map());

    const found = await resolver.resolve('fresh');

    expect(found).toEqual(link);
    expect([read.queries, primary.queries]).toEqual([1, 1]);
    expect(await counted('db', 'hit')).toBe(1);
  });

  it('does not bother the primary when the replica has the link', async () => {
    const rows = new Map([['penguin', link]]);
    const { resolver, primary, read } = setup({}, rows, new Map(rows));

    await resolver.resolve('penguin');

    expect([read.queries, primary.queries]).toEqual([1, 0]);
  });

  it('falls back to the primary when the replica fails', async () => {
    const { resolver, read, logger } = setup({}, new Map([['penguin', link]]), new Map());
    read.fail = true;

    expect(await resolver.resolve('penguin')).toEqual(link);
    expect(logger.warn).toHaveBeenCalled();
  });

  it('remembers an unknown phrase for the negative TTL only', async () => {
    const { resolver, primary, read, advance, counted } = setup({}, new Map(), new Map());
    await resolver.resolve('nope');

    const again = await resolver.resolve('nope');
    const peeked = resolver.peek('nope');
    advance(5_001);
    await resolver.resolve('nope');

    expect(again).toBeUndefined();
    expect(peeked).toBeNull();
    expect([read.queries, primary.queries]).toEqual([2, 2]);
    expect(await counted('db', 'miss')).toBe(2);
    expect(await counted('l1', 'negative_hit')).toBe(2);
  });

  it('rejects when the primary fails and caches nothing', async () => {
    const rows = new Map([['penguin', link]]);
    const { resolver, primary } = setup({}, rows);
    primary.fail = true;

    await expect(resolver.resolve('penguin')).rejects.toThrow('connection refused');
    primary.fail = false;

    expect(await resolver.resolve('penguin')).toEqual(link);
  });

  it('answers undefined for impossible phrases without touching anything', async () => {
    const { resolver, primary } = setup();

    expect(await resolver.resolve('')).toBeUndefined();
    expect(await resolver.resolve('x'.repeat(257))).toBeUndefined();
    expect(primary.queries).toBe(0);
  });

  it('serves a remembered link without the database and drops a negative entry for it', async () => {
    const { resolver, primary } = setup();
    await resolver.resolve('fresh');

    await resolver.remember('fresh', link);

    expect(resolver.peek('fresh')).toEqual(link);
    expect(await resolver.resolve('fresh')).toEqual(link);
    expect(primary.queries).toBe(1);
  });

  it('does not cache an answer that an invalidation overtook', async () => {
    const rows = new Map<string, ResolvedLink>();
    const { resolver, primary } = setup({}, rows);
    primary.hold();
    const pending = resolver.resolve('racing');

    rows.set('racing', link);
    await resolver.invalidate('racing');
    primary.release();

    expect(await pending).toBeUndefined();
    expect(resolver.peek('racing')).toBeUndefined();
    expect(await resolver.resolve('racing')).toEqual(link);
  });

  it('forgets everything on invalidate and on close', async () => {
    const { resolver } = setup({}, new Map([['penguin', link]]));
    await resolver.resolve('penguin');

    await resolver.invalidate('penguin');
    const afterInvalidate = resolver.peek('penguin');
    await resolver.resolve('penguin');
    await resolver.close();

    expect(afterInvalidate).toBeUndefined();
    expect(resolver.peek('penguin')).toBeUndefined();
  });
});
