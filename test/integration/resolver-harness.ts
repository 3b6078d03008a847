import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { ResolvedLink } from '../../core/links/link';
import { cacheConfigSchema, cacheSettings, type CacheSettings } from '../../core/links/cache/cache-config';
import { createLinkResolver, type LinkResolver } from '../../core/links/resolve-link';
import { createMetrics, type Metrics } from '../../core/metrics/metrics';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestRedis, type TestRedis } from '../support/redis';

const DEFAULT_CACHE = cacheSettings(cacheConfigSchema.parse({}));

/** Counts the queries a pool receives, so tests can prove a level was (not) consulted. */
export function countingPool(pool: Pool): { pool: Pool; queries: () => number } {
  let queries = 0;
  const proxy = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (...args: Parameters<Pool['query']>) => {
          queries += 1;
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, property, target) as unknown;
    },
  });
  return { pool: proxy, queries: () => queries };
}

export async function insertLink(pool: Pool, phrase: string): Promise<ResolvedLink> {
  const link = { id: randomUUID(), targetUrl: `https://example.com/${phrase}`, languageId: 1, themeId: 2 };
  await pool.query('INSERT INTO links (id, phrase, target_url, language_id, theme_id) VALUES ($1, $2, $3, $4, $5)', [
    link.id,
    phrase,
    link.targetUrl,
    link.languageId,
    link.themeId,
  ]);
  return link;
}

export async function counted(metrics: Metrics, level: string, result: string): Promise<number> {
  const values = (await metrics.cacheRequests.get()).values;
  return values.find((v) => v.labels.level === level && v.labels.result === result)?.value ?? 0;
}

/** Pub/sub delivery is asynchronous: poll the observable state instead of sleeping a guessed time. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface InstanceOptions {
  /** The read pool; defaults to the primary (no replica). */
  readonly read?: Pool;
  /** `null`: no Redis at all; default: a fresh connection to the test Redis. */
  readonly redis?: Redis | null;
  readonly subscriber?: Redis;
  /** Cache settings differing from the harness's. */
  readonly cache?: Partial<CacheSettings>;
}

/**
 * Two migrated databases per test file (the real one, and an empty one acting as a replica that lags behind
 * every write), a Redis namespace per test, a shared test clock, and resolvers closed after each test.
 */
export function useResolverHarness() {
  let primaryDb: TestDatabase | undefined;
  let laggingDb: TestDatabase | undefined;
  let redis: TestRedis | undefined;
  let time = 1_000_000;
  const resolvers: LinkResolver[] = [];

  beforeAll(async () => {
    [primaryDb, laggingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([primaryDb?.drop(), laggingDb?.drop()]);
  });
  beforeEach(() => {
    redis = createTestRedis();
    time = 1_000_000;
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((resolver) => resolver.close()));
    await redis?.close();
  });

  const harness = {
    get primaryDb(): TestDatabase {
      return primaryDb!;
    },
    get laggingDb(): TestDatabase {
      return laggingDb!;
    },
    get redis(): TestRedis {
      return redis!;
    },
    advance(ms: number): void {
      time += ms;
    },
    /** One "instance": its own metrics, L1 and connections, sharing the test's Redis namespace. */
    instance(options: InstanceOptions = {}) {
      const keyPrefix = harness.redis.keyPrefix;
      const primary = countingPool(harness.primaryDb.pools.primary);
      const read = options.read ? countingPool(options.read) : primary;
      const metrics = createMetrics({ service: 'test', defaultMetrics: false });
      const client = options.redis === null ? undefined : (options.redis ?? harness.redis.connect());
      const resolver = createLinkResolver({
        pools: { primary: primary.pool, read: read.pool },
        redis: client,
        subscriber: options.subscriber,
        metrics,
        logger: { warn: () => undefined },
        cache: { ...DEFAULT_CACHE, l1TtlMs: 10_000, l2TtlSec: 120, negativeTtlMs: 3_000, ...options.cache },
        keyPrefix,
        now: () => time,
      });
      resolvers.push(resolver);
      return {
        resolver,
        metrics,
        primary,
        read,
        redis: client,
        key: (phrase: string) => `${keyPrefix}link:target:${phrase}`,
      };
    },
  };
  return harness;
}
