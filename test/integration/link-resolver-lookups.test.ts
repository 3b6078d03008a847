import { randomUUID } from 'node:crypto';
import { counted, insertLink, useResolverHarness } from './resolver-harness';

describe('link resolver lookups against PostgreSQL and Redis', () => {
  const h = useResolverHarness();

  it('serves a repeated lookup from L1 without Redis or the database', async () => {
    const phrase = `l1-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, metrics, primary } = h.instance();

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
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, redis: client, key } = h.instance();

    await resolver.resolve(phrase);
    // Same connection, so this GET runs after the resolver's SET.
    const [stored, ttl] = await Promise.all([client!.get(key(phrase)), client!.ttl(key(phrase))]);

    expect(JSON.parse(stored!)).toEqual(link);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('answers from Redis once the L1 entry has expired', async () => {
    const phrase = `l2-hit-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, metrics, primary, redis: client, key } = h.instance();
    await resolver.resolve(phrase);
    await client!.exists(key(phrase));

    h.advance(10_001);
    const found = await resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'l2', 'hit')).toBe(1);
    expect(resolver.peek(phrase)).toEqual(link);
  });

  it('shares a link between instances through Redis', async () => {
    const phrase = `shared-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const a = h.instance();
    const b = h.instance();
    await a.resolver.resolve(phrase);
    await a.redis!.exists(a.key(phrase));

    const found = await b.resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(b.primary.queries()).toBe(0);
  });

  it('stops database queries for an unknown phrase, in this instance and in others', async () => {
    const phrase = `unknown-${randomUUID()}`;
    const a = h.instance();
    const b = h.instance();

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
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, primary, read } = h.instance({ read: h.laggingDb.pools.primary });

    const found = await resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(read.queries()).toBe(1);
    expect(primary.queries()).toBe(1);
  });

  it('caches a phrase as unknown only after the primary says so, then asks neither database', async () => {
    const phrase = `nowhere-${randomUUID()}`;
    const { resolver, primary, read, metrics } = h.instance({ read: h.laggingDb.pools.primary });

    const first = await resolver.resolve(phrase);
    const second = await resolver.resolve(phrase);

    expect([first, second]).toEqual([undefined, undefined]);
    expect(read.queries()).toBe(1);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'db', 'miss')).toBe(1);
    expect(resolver.peek(phrase)).toBeNull();
  });

  it('treats an unreadable Redis value as a miss and replaces it', async () => {
    const phrase = `garbage-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, metrics, redis: client, key } = h.instance();
    await client!.set(key(phrase), '{"id":"x","targetUrl":"javascript:alert(1)"}');

    const found = await resolver.resolve(phrase);
    const stored = await client!.get(key(phrase));

    expect(found).toEqual(link);
    expect(await counted(metrics, 'l2', 'error')).toBe(1);
    expect(JSON.parse(stored!)).toEqual(link);
  });

  it('works without Redis at all', async () => {
    const phrase = `l1-only-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const { resolver, primary, metrics } = h.instance({ redis: null });

    await resolver.resolve(phrase);
    const again = await resolver.resolve(phrase);

    expect(again).toEqual(link);
    expect(primary.queries()).toBe(1);
    expect(await counted(metrics, 'l2', 'miss')).toBe(0);
  });
});
