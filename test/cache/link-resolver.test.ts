import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createMetrics, type Metrics } from '../../core/metrics/metrics';
import type { ResolvedLink } from '../../core/links/link';
import { createLinkResolver, type LinkResolver, type LinkResolverOptions } from '../../core/links/resolve-link';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestRedis, type TestRedis } from '../support/redis';

/** Counts the queries a pool receives, so tests can prove a level was (not) consulted. */
function countingPool(pool: Pool): { pool: Pool; queries: () => number } {
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

async function insertLink(pool: Pool, phrase: string): Promise<ResolvedLink> {
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

async function counted(metrics: Metrics, level: string, result: string): Promise<number> {
  const values = (await metrics.cacheRequests.get()).values;
  return values.find((v) => v.labels.level === level && v.labels.result === result)?.value ?? 0;
}

/** Pub/sub delivery is asynchronous: poll the observable state instead of sleeping a guessed time. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('link resolver against PostgreSQL and Redis', () => {
  let primaryDb: TestDatabase;
  let laggingDb: TestDatabase;
  let redis: TestRedis;
  let time: number;
  const resolvers: LinkResolver[] = [];

  beforeAll(async () => {
    [primaryDb, laggingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    await Promise.all([primaryDb.drop(), laggingDb.drop()]);
  });

  beforeEach(() => {
    redis = createTestRedis();
    time = 1_000_000;
  });

  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((resolver) => resolver.close()));
    await redis.close();
  });

  /** One "instance": its own metrics, L1 and connections, sharing the test's Redis namespace. */
  function instance(options: { read?: Pool; redis?: Redis | null; subscriber?: Redis; overrides?: Partial<LinkResolverOptions> } = {}) {
    const primary = countingPool(primaryDb.pools.primary);
    const read = options.read ? countingPool(options.read) : primary;
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const client = options.redis === null ? undefined : (options.redis ?? redis.connect());
    const resolver = createLinkResolver({
      pools: { primary: primary.pool, read: read.pool },
      redis: client,
      subscriber: options.subscriber,
      metrics,
      logger: { warn: () => undefined },
      l1TtlMs: 10_000,
      l2TtlSec: 120,
      negativeTtlMs: 3_000,
      keyPrefix: redis.keyPrefix,
      channel: `${redis.keyPrefix}link-invalidation`,
      now: () => time,
      ...options.overrides,
    });
    resolvers.push(resolver);
    return { resolver, metrics, primary, read, redis: client, key: (phrase: string) => `${redis.keyPrefix}link:target:${phrase}` };
  }

  it('serves a repeated lookup from L1 without Redis or the database', async () => {
    const phrase = `l1-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, metrics, primary } = instance();

    await resolver.resolve(phrase);
    const second = await resolver.resolve(phrase);

    expect(second).toEqual(link);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'l1', 'hit')).toBe(1);
    expect(await counted(metrics, 'l2', 'miss')).toBe(1);
    expect(await counted(metrics, 'db', 'hit')).toBe(1);
  });

  it('stores a link read from the database in Redis with the L2 TTL', async () => {
    const phrase = `l2-store-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, redis: client, key } = instance();

    await resolver.resolve(phrase);
    // Same connection, so this GET runs after the resolver's SET.
    const [stored, ttl] = await Promise.all([client!.get(key(phrase)), client!.ttl(key(phrase))]);

    expect(JSON.parse(stored!)).toEqual(link);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('answers from Redis once the L1 entry has expired', async () => {
    const phrase = `l2-hit-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, metrics, primary, redis: client, key } = instance();
    await resolver.resolve(phrase);
    await client!.exists(key(phrase));

    time += 10_001;
    const found = await resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'l2', 'hit')).toBe(1);
    expect(resolver.peek(phrase)).toEqual(link);
  });

  it('shares a link between instances through Redis', async () => {
    const phrase = `shared-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const a = instance();
    const b = instance();
    await a.resolver.resolve(phrase);
    await a.redis!.exists(a.key(phrase));

    const found = await b.resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(b.primary.queries()).toBe(0);
  });

  it('stops database queries for an unknown phrase, in this instance and in others', async () => {
    const phrase = `unknown-${randomUUID()}`;
    const a = instance();
    const b = instance();

    await a.resolver.resolve(phrase);
    for (let i = 0; i < 5; i += 1) await a.resolver.resolve(phrase);
    const [stored, pttl] = await Promise.all([a.redis!.get(a.key(phrase)), a.redis!.pttl(a.key(phrase))]);
    const fromB = await b.resolver.resolve(phrase);

    expect(a.primary.queries()).toBe(1);
    expect(await counted(a.metrics, 'l1', 'negative_hit')).toBe(5);
    expect(await counted(a.metrics, 'db', 'miss')).toBe(1);
    expect(stored).toBe('!absent');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(3_000);
    expect(fromB).toBeUndefined();
    expect(b.primary.queries()).toBe(0);
    expect(await counted(b.metrics, 'l2', 'negative_hit')).toBe(1);
    expect(b.resolver.peek(phrase)).toBeNull();
  });

  it('finds a link the lagging replica does not have yet, on the primary', async () => {
    const phrase = `fresh-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, primary, read } = instance({ read: laggingDb.pools.primary });

    const found = await resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(read.queries()).toBe(1);
    expect(primary.queries()).toBe(1);
  });

  it('caches a phrase as unknown only after the primary says so, then asks neither database', async () => {
    const phrase = `nowhere-${randomUUID()}`;
    const { resolver, primary, read, metrics } = instance({ read: laggingDb.pools.primary });

    const first = await resolver.resolve(phrase);
    const second = await resolver.resolve(phrase);

    expect([first, second]).toEqual([undefined, undefined]);
    expect(read.queries()).toBe(1);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'db', 'miss')).toBe(1);
    expect(resolver.peek(phrase)).toBeNull();
  });

  it('drops a negative entry in another instance when a link is created', async () => {
    const phrase = `created-${randomUUID()}`;
    const creator = instance({ subscriber: redis.connect() });
    const other = instance({ subscriber: redis.connect() });
    await Promise.all([creator.resolver.start(), other.resolver.start()]);
    await other.resolver.resolve(phrase);
    expect(other.resolver.peek(phrase)).toBeNull();

    const link = await insertLink(primaryDb.pools.primary, phrase);
    await creator.resolver.remember(phrase, link);
    await eventually(() => other.resolver.peek(phrase) === undefined, 'the other instance drops its negative entry');
    const found = await other.resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(creator.resolver.peek(phrase)).toEqual(link);
    expect(await counted(other.metrics, 'l2', 'hit')).toBe(1);
  });

  it('drops a cached link in every instance and in Redis on invalidate', async () => {
    const phrase = `removed-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const a = instance({ subscriber: redis.connect() });
    const b = instance({ subscriber: redis.connect() });
    await Promise.all([a.resolver.start(), b.resolver.start()]);
    await a.resolver.resolve(phrase);
    await b.resolver.resolve(phrase);
    expect(b.resolver.peek(phrase)).toEqual(link);

    await primaryDb.pools.primary.query('UPDATE links SET is_deleted = true, deleted_at = now() WHERE id = $1', [link.id]);
    await a.resolver.invalidate(phrase);
    await eventually(() => b.resolver.peek(phrase) === undefined, 'the other instance drops the link');

    expect(a.resolver.peek(phrase)).toBeUndefined();
    expect(await b.resolver.resolve(phrase)).toBeUndefined();
  });

  it('forgets its L1 when the subscription drops, then hears invalidations again', async () => {
    const phrase = `reconnect-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const connectionName = `cache-test-${randomUUID()}`;
    const listening = instance({ subscriber: redis.connect({ connectionName }) });
    const other = instance();
    await listening.resolver.start();
    await listening.resolver.resolve(phrase);
    const admin = redis.connect();
    const clients = (await admin.client('LIST')) as string;
    const id = /id=(\d+) [^\n]*name=([^ ]+)/g;
    const ours = [...clients.matchAll(id)].find((match) => match[2] === connectionName)?.[1];

    await admin.client('KILL', 'ID', ours!);
    await eventually(() => listening.resolver.peek(phrase) === undefined, 'the reconnected instance clears its L1');
    await listening.resolver.resolve(phrase);
    await eventually(() => {
      void other.resolver.invalidate(phrase);
      return listening.resolver.peek(phrase) === undefined;
    }, 'the resubscribed instance hears invalidations');

    expect(await listening.resolver.resolve(phrase)).toEqual(link);
  });

  it('treats an unreadable Redis value as a miss and replaces it', async () => {
    const phrase = `garbage-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, metrics, redis: client, key } = instance();
    await client!.set(key(phrase), '{"id":"x","targetUrl":"javascript:alert(1)"}');

    const found = await resolver.resolve(phrase);
    const stored = await client!.get(key(phrase));

    expect(found).toEqual(link);
    expect(await counted(metrics, 'l2', 'error')).toBe(1);
    expect(JSON.parse(stored!)).toEqual(link);
  });

  it('keeps redirecting from the database when Redis is unreachable', async () => {
    const phrase = `no-redis-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const port = await closedPort();
    // disconnectTimeout: ioredis arms that timer even for a socket that never connected; keep it from holding jest.
    const options = { host: '127.0.0.1', port, retryStrategy: () => 20, disconnectTimeout: 10 };
    const down = new Redis(options);
    const downSubscriber = new Redis(options);
    [down, downSubscriber].forEach((client) => client.on('error', () => undefined));
    try {
      const { resolver, metrics } = instance({ redis: down, subscriber: downSubscriber, overrides: { l2TimeoutMs: 50 } });
      await resolver.start();

      const found = await resolver.resolve(phrase);
      const unknown = await resolver.resolve(`missing-${randomUUID()}`);
      await resolver.remember(`other-${randomUUID()}`, link);
      await resolver.invalidate(phrase);

      expect(found).toEqual(link);
      expect(unknown).toBeUndefined();
      expect(await counted(metrics, 'l2', 'error')).toBe(2);
      expect(await counted(metrics, 'db', 'hit')).toBe(1);
      await resolver.close();
    } finally {
      down.disconnect();
      downSubscriber.disconnect();
    }
  });

  it('works without Redis at all', async () => {
    const phrase = `l1-only-${randomUUID()}`;
    const link = await insertLink(primaryDb.pools.primary, phrase);
    const { resolver, primary, metrics } = instance({ redis: null });

    await resolver.resolve(phrase);
    const again = await resolver.resolve(phrase);

    expect(again).toEqual(link);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'l2', 'miss')).toBe(0);
  });
});
