import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLinkInvalidator } from '../../core/links/cache/link-invalidator';
import { startTcpProxy } from '../support/tcp-proxy';
import { closedPort, counted, eventually, insertLink, useResolverHarness } from './resolver-harness';

describe('link resolver invalidation and outages against PostgreSQL and Redis', () => {
  const h = useResolverHarness();

  it('drops a negative entry in another instance when a link is created', async () => {
    const phrase = `created-${randomUUID()}`;
    const creator = h.instance({ subscriber: h.redis.connect() });
    const other = h.instance({ subscriber: h.redis.connect() });
    await Promise.all([creator.resolver.start(), other.resolver.start()]);
    await other.resolver.resolve(phrase);
    expect(other.resolver.peek(phrase)).toBeNull();

    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    await creator.resolver.remember(phrase, link);
    await eventually(() => other.resolver.peek(phrase) === undefined, 'the other instance drops its negative entry');
    const found = await other.resolver.resolve(phrase);

    expect(found).toEqual(link);
    expect(creator.resolver.peek(phrase)).toEqual(link);
    expect(await counted(other.metrics, 'l2', 'hit')).toBe(1);
  });

  it('drops negative entries and Redis copies in every api instance when a process without a resolver invalidates', async () => {
    const phrase = `declared-${randomUUID()}`;
    const api = h.instance({ subscriber: h.redis.connect() });
    await api.resolver.start();
    await api.resolver.resolve(phrase);
    expect(api.resolver.peek(phrase)).toBeNull();
    // The negative entry reaches Redis in the background.
    for (let i = 0; i < 100 && (await api.redis!.exists(api.key(phrase))) === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await api.redis!.exists(api.key(phrase))).toBe(1);
    const invalidate = createLinkInvalidator({ redis: h.redis.connect(), keyPrefix: h.redis.keyPrefix });

    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    await invalidate(phrase);
    await eventually(() => api.resolver.peek(phrase) === undefined, 'the api instance drops its negative entry');

    expect(await api.redis!.exists(api.key(phrase))).toBe(0);
    expect(await api.resolver.resolve(phrase)).toEqual(link);
  });

  it('asks only the primary about a phrase just invalidated, while a replica may still hold the old row', async () => {
    const phrase = `taken-down-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    await h.laggingDb.pools.primary.query(
      'INSERT INTO links (id, phrase, target_url, language_id, theme_id) VALUES ($1, $2, $3, $4, $5)',
      [link.id, phrase, link.targetUrl, link.languageId, link.themeId],
    );
    const instance = h.instance({ read: h.laggingDb.pools.primary, redis: null });
    expect((await instance.resolver.resolve(phrase))?.gone).toBeUndefined();

    await h.primaryDb.pools.primary.query('UPDATE links SET disabled_at = now() WHERE id = $1', [link.id]);
    await instance.resolver.invalidate(phrase);

    expect((await instance.resolver.resolve(phrase))?.gone).toBe('disabled');
    h.advance(5_001);
    instance.resolver.dropAll();
    // Once the replicas have had time to catch up, they are asked first again (this one never does).
    expect((await instance.resolver.resolve(phrase))?.gone).toBeUndefined();
  });

  it('announces links created together in one message, and each creation waits until Redis has its link', async () => {
    const phrases = Array.from({ length: 3 }, () => `together-${randomUUID()}`);
    const creator = h.instance({ subscriber: h.redis.connect() });
    const other = h.instance({ subscriber: h.redis.connect() });
    await Promise.all([creator.resolver.start(), other.resolver.start()]);
    for (const phrase of phrases) await other.resolver.resolve(phrase);
    const spy = h.redis.connect();
    const messages: string[] = [];
    spy.on('message', (_channel: string, message: string) => messages.push(message));
    await spy.subscribe(`${h.redis.keyPrefix}link-invalidation`);

    const links = await Promise.all(phrases.map((phrase) => insertLink(h.primaryDb.pools.primary, phrase)));
    await Promise.all(
      phrases.map(async (phrase, index) => {
        await creator.resolver.remember(phrase, links[index]!);
        // Resolved only after the pipeline ran: the link is in Redis by the time the creator would answer 201.
        expect(await creator.redis!.exists(creator.key(phrase))).toBe(1);
      }),
    );
    await eventually(
      () => phrases.every((phrase) => other.resolver.peek(phrase) === undefined),
      'the other instance drops every negative entry',
    );
    await eventually(() => messages.length > 0, 'the spy hears the announcement');

    expect(messages.map((message) => (JSON.parse(message) as { phrases?: string[] }).phrases)).toEqual([phrases]);
    for (const [index, phrase] of phrases.entries()) expect(await other.resolver.resolve(phrase)).toEqual(links[index]);
  });

  it('drops a negative entry in another instance and in Redis when the creator only invalidates', async () => {
    const phrase = `created-${randomUUID()}`;
    const creator = h.instance({ subscriber: h.redis.connect() });
    const other = h.instance({ subscriber: h.redis.connect() });
    await Promise.all([creator.resolver.start(), other.resolver.start()]);
    await other.resolver.resolve(phrase);
    expect(await other.redis!.get(other.key(phrase))).toBe('!absent');

    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    await creator.resolver.invalidate(phrase);
    await eventually(() => other.resolver.peek(phrase) === undefined, 'the other instance drops its negative entry');

    expect(await other.redis!.exists(other.key(phrase))).toBe(0);
    expect(await other.resolver.resolve(phrase)).toEqual(link);
  });

  it('drops a cached link in every instance and in Redis on invalidate', async () => {
    const phrase = `removed-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const a = h.instance({ subscriber: h.redis.connect() });
    const b = h.instance({ subscriber: h.redis.connect() });
    await Promise.all([a.resolver.start(), b.resolver.start()]);
    await a.resolver.resolve(phrase);
    await b.resolver.resolve(phrase);
    expect(b.resolver.peek(phrase)).toEqual(link);

    await h.primaryDb.pools.primary.query('UPDATE links SET is_deleted = true, deleted_at = now() WHERE id = $1', [
      link.id,
    ]);
    await a.resolver.invalidate(phrase);
    await eventually(() => b.resolver.peek(phrase) === undefined, 'the other instance drops the link');

    expect(a.resolver.peek(phrase)).toBeUndefined();
    // A deleted link is still known: it answers 410, not 404.
    expect((await b.resolver.resolve(phrase))?.gone).toBe('deleted');
    expect(await b.redis!.exists(b.key(phrase))).toBe(0);
  });

  it('forgets its L1 when the subscription drops, then hears invalidations again', async () => {
    const phrase = `reconnect-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const connectionName = `cache-test-${randomUUID()}`;
    const listening = h.instance({ subscriber: h.redis.connect({ connectionName }) });
    const other = h.instance();
    await listening.resolver.start();
    await listening.resolver.resolve(phrase);
    const admin = h.redis.connect();
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

  it('keeps redirecting from the database when Redis is unreachable', async () => {
    const phrase = `no-redis-${randomUUID()}`;
    const link = await insertLink(h.primaryDb.pools.primary, phrase);
    const port = await closedPort();
    // disconnectTimeout: ioredis arms that timer even for a socket that never connected; keep it from holding jest.
    const options = { host: '127.0.0.1', port, retryStrategy: () => 20, disconnectTimeout: 10 };
    const down = new Redis(options);
    const downSubscriber = new Redis(options);
    [down, downSubscriber].forEach((client) => client.on('error', () => undefined));
    try {
      const { resolver, metrics } = h.instance({ redis: down, subscriber: downSubscriber, cache: { l2TimeoutMs: 50 } });
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
  it('gives up on a Redis that takes commands and never answers, and reads the database for every waiting lookup', async () => {
    const phrases = [`hung-a-${randomUUID()}`, `hung-b-${randomUUID()}`, `hung-c-${randomUUID()}`];
    const links = await Promise.all(phrases.map((phrase) => insertLink(h.primaryDb.pools.primary, phrase)));
    const url = new URL(h.redis.url);
    const proxy = await startTcpProxy(url.hostname, Number(url.port));
    url.host = `127.0.0.1:${proxy.port}`;
    const hung = new Redis(url.href, { maxRetriesPerRequest: 1, lazyConnect: true });
    hung.on('error', () => undefined);
    try {
      await hung.connect();
      const { resolver, metrics } = h.instance({ redis: hung, cache: { l2TimeoutMs: 50 } });
      proxy.stall();

      const found = await Promise.all(phrases.map((phrase) => resolver.resolve(phrase)));

      expect(found).toEqual(links);
      expect(await counted(metrics, 'l2', 'error')).toBe(phrases.length);
      expect(await counted(metrics, 'db', 'hit')).toBe(phrases.length);
      await resolver.close();
    } finally {
      hung.disconnect();
      await proxy.close();
    }
  });
});
