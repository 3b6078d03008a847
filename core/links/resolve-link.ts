import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DatabasePools } from '../db/pools';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import { bindCacheCounters } from './cache/cache-counters';
import { L1LinkCache } from './cache/l1-link-cache';
import { createInvalidationListener, encodeInvalidation, type InvalidationListener } from './cache/link-invalidation';
import { createRateLimitedWarn } from '../logging/rate-limited-warn';
import { createLinkAnnouncer } from './cache/link-announcer';
import { createRedisLinkCache, type RedisLinkCache } from './cache/redis-link-cache';
import type { L2Lookup } from './cache/l2-link-payload';
import { MAX_PHRASE_LENGTH, exceedsLength } from '../phrases/phrase';
import type { CacheSettings } from './cache/cache-config';
import type { GoneReason, ResolvedLink } from './link';
import { RecentChanges } from './cache/recent-changes';
import { cacheTtlMs, judgeLink } from './link-state';
import { findResolvedLink } from './pg-link-repository';

export interface LinkResolverOptions {
  readonly pools: Pick<DatabasePools, 'primary' | 'read'>;
  /** Absent: L1 and the database only (and invalidation stays within this process). */
  readonly redis?: Redis | undefined;
  /** A separate connection for SUBSCRIBE; without it this process hears no other instance's invalidations. */
  readonly subscriber?: Redis | undefined;
  readonly metrics: Pick<Metrics, 'cacheRequests'>;
  readonly logger: Pick<Logger, 'warn'>;
  /** Sizes and lifetimes, from the api's CACHE_* keys (`cacheSettings`). */
  readonly cache: CacheSettings;
  /** Unknown phrases have their own LRU so 404 floods cannot evict real links; default a tenth of l1MaxEntries. */
  readonly negativeMaxEntries?: number;
  /** Namespace of the Redis keys and of the invalidation channel (REDIS_KEY_PREFIX). */
  readonly keyPrefix: string;
  /** Milliseconds clock for L1 expiry and log rate limiting; tests inject one. */
  readonly now?: () => number;
  /**
   * Asked once per link as it enters this process's cache (never per redirect): a reason to refuse the link here,
   * such as a blocklisted target. After the answer may have changed, call `dropAll()`.
   */
  readonly screen?: ((link: ResolvedLink) => GoneReason | undefined) | undefined;
}

export interface LinkResolver {
  /** L1 only, synchronous: a link, `null` for a cached "unknown phrase", `undefined` when L1 does not know. */
  peek(phrase: string): ResolvedLink | null | undefined;
  /** L1 → Redis → read replica → primary. Rejects only when the database fails. */
  resolve(phrase: string): Promise<ResolvedLink | undefined>;
  /** After a create: prime L1 and Redis, and tell other instances to drop what they cached for the phrase. */
  remember(phrase: string, link: ResolvedLink): Promise<void>;
  /** After a change or delete: drop the phrase here, in Redis and (by pub/sub) in every other instance. */
  invalidate(phrase: string): Promise<void>;
  /** Forgets everything this process cached (Redis is untouched): after `screen` may answer differently. */
  dropAll(): void;
  /** Links held in L1, which answer redirects whatever Redis and the database do. */
  cachedLinks(): number;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A lookup in progress; `cacheable` turns false when the phrase is invalidated meanwhile, so a stale answer is not kept. */
interface Flight {
  cacheable: boolean;
  promise: Promise<ResolvedLink | undefined>;
}

const LOG_INTERVAL_MS = 10_000;

export function createLinkResolver(options: LinkResolverOptions): LinkResolver {
  const { pools, redis, subscriber, cache } = options;
  const { negativeTtlMs } = cache;
  const channel = `${options.keyPrefix}link-invalidation`;
  const instanceId = randomUUID();
  const count = bindCacheCounters(options.metrics);
  const warn = createRateLimitedWarn(options.logger, LOG_INTERVAL_MS, options.now);
  const l1 = new L1LinkCache({
    maxEntries: cache.l1MaxEntries,
    maxBytes: cache.l1MaxBytes,
    ttlMs: cache.l1TtlMs,
    negativeMaxEntries: options.negativeMaxEntries ?? Math.max(1_000, Math.floor(cache.l1MaxEntries / 10)),
    negativeTtlMs,
    ...(options.now ? { now: options.now } : {}),
  });
  const l2: RedisLinkCache | undefined = redis
    ? createRedisLinkCache({
        redis,
        keyPrefix: options.keyPrefix,
        ttlSec: cache.l2TtlSec,
        negativeTtlMs,
        timeoutMs: cache.l2TimeoutMs,
      })
    : undefined;
  const flights = new Map<string, Flight>();
  const clock = options.now ?? Date.now;
  const l1TtlMs = cache.l1TtlMs;
  const changed = new RecentChanges(clock);

  /** Judges the link and keeps it in L1; a coming expiry shortens how long. */
  function admit(phrase: string, link: ResolvedLink, cacheable = true): void {
    // Expiry times are wall-clock instants, whatever clock the L1 TTLs run on.
    const nowMs = Date.now();
    judgeLink(link, nowMs, options.screen);
    if (cacheable) l1.set(phrase, link, link.gone === undefined ? cacheTtlMs(link, l1TtlMs, nowMs) : undefined);
  }

  function dropLocal(phrase: string): void {
    changed.note(phrase);
    l1.delete(phrase);
    const flight = flights.get(phrase);
    if (flight) {
      flight.cacheable = false;
      flights.delete(phrase);
    }
  }

  /** After a gap in the subscription any entry may be stale, including answers still on their way. */
  function dropAllLocal(): void {
    l1.clear();
    for (const flight of flights.values()) flight.cacheable = false;
    flights.clear();
  }

  const listener: InvalidationListener | undefined = subscriber
    ? createInvalidationListener({
        subscriber,
        channel,
        instanceId,
        subscribeTimeoutMs: 2_000,
        onInvalidate: dropLocal,
        onReconnect: dropAllLocal,
        warn,
      })
    : undefined;

  /** Fire-and-forget: the redirect never waits for a cache write. */
  function write(operation: Promise<void>): void {
    operation.catch((error: unknown) => warn(error, 'could not write the link cache in Redis'));
  }

  /** What Redis said, as the lookup's answer: a link, `null` for known absence, `undefined` to ask the database. */
  function fromL2(
    phrase: string,
    found: L2Lookup,
    cache: RedisLinkCache,
    flight: Flight,
  ): ResolvedLink | null | undefined {
    if (found.kind === 'link') {
      count.l2_hit.inc();
      admit(phrase, found.link, flight.cacheable);
      return found.link;
    }
    if (found.kind === 'absent') {
      count.l2_negative_hit.inc();
      if (flight.cacheable) l1.setAbsent(phrase);
      return null;
    }
    if (found.kind === 'garbage') {
      count.l2_error.inc();
      warn(undefined, 'dropped an unreadable link cache value from Redis');
      write(cache.delete(phrase));
    } else {
      count.l2_miss.inc();
    }
    return undefined;
  }

  /** A replica may lag behind a create; only the primary may declare a phrase unknown. */
  async function readDatabase(phrase: string): Promise<ResolvedLink | undefined> {
    if (pools.read !== pools.primary && changed.settled(phrase)) {
      try {
        const link = await findResolvedLink(pools.read, phrase);
        if (link) return link;
      } catch (error) {
        warn(error, 'link lookup on the read replica failed; asking the primary');
      }
    }
    return findResolvedLink(pools.primary, phrase);
  }

  /**
   * L2, then the database. Written with plain callbacks rather than `await`: a redirect answered from Redis is the
   * common case, and each async layer costs it a promise. `land` forgets the flight once the answer is known.
   */
  function lookup(phrase: string, flight: Flight, land: () => void): Promise<ResolvedLink | undefined> {
    const fromDb = () => fromDatabase(phrase, flight).finally(land);
    if (!l2) return fromDb();
    const cache = l2;
    // Whatever fails on the way through Redis (the call, or handling its answer) falls back to the database.
    const l2Failed = (error: unknown) => {
      count.l2_error.inc();
      warn(error, 'link cache lookup in Redis failed; reading the database');
      return fromDb();
    };
    return cache.lookup(phrase).then((found) => {
      let cached: ResolvedLink | null | undefined;
      try {
        cached = fromL2(phrase, found, cache, flight);
      } catch (error) {
        return l2Failed(error);
      }
      if (cached === undefined) return fromDb();
      land();
      return cached ?? undefined;
    }, l2Failed);
  }

  async function fromDatabase(phrase: string, flight: Flight): Promise<ResolvedLink | undefined> {
    const link = await readDatabase(phrase);
    if (link) {
      count.db_hit.inc();
      admit(phrase, link, flight.cacheable);
      if (flight.cacheable && l2) write(l2.storeLink(phrase, link));
      return link;
    }
    count.db_miss.inc();
    if (flight.cacheable) {
      l1.setAbsent(phrase);
      if (l2) write(l2.storeAbsent(phrase));
    }
    return undefined;
  }

  const announce = l2 ? createLinkAnnouncer({ l2, channel, instanceId, warn }) : (): Promise<void> => Promise.resolve();

  async function tellOthers(phrase: string, change: (cache: RedisLinkCache) => Promise<void>): Promise<void> {
    if (!l2) return;
    try {
      // One connection runs commands in order, so no instance can re-read the old value after our message.
      await Promise.all([change(l2), l2.publish(channel, encodeInvalidation(phrase, instanceId))]);
    } catch (error) {
      warn(error, 'could not update Redis or announce a link change; other instances catch up within their TTLs');
    }
  }

  return {
    peek(phrase) {
      const cached = l1.get(phrase);
      if (cached === undefined) return undefined;
      (cached ? count.l1_hit : count.l1_negative_hit).inc();
      return cached;
    },

    resolve(phrase) {
      if (phrase.length === 0 || exceedsLength(phrase, MAX_PHRASE_LENGTH)) return Promise.resolve(undefined);
      const cached = l1.get(phrase);
      if (cached !== undefined) {
        (cached ? count.l1_hit : count.l1_negative_hit).inc();
        return Promise.resolve(cached ?? undefined);
      }
      count.l1_miss.inc();
      const existing = flights.get(phrase);
      if (existing) return existing.promise;
      const flight: Flight = { cacheable: true, promise: Promise.resolve(undefined) };
      flight.promise = lookup(phrase, flight, () => {
        if (flights.get(phrase) === flight) flights.delete(phrase);
      });
      flights.set(phrase, flight);
      return flight.promise;
    },

    async remember(phrase, link) {
      dropLocal(phrase);
      admit(phrase, link);
      await announce(phrase, link);
    },

    async invalidate(phrase) {
      dropLocal(phrase);
      await tellOthers(phrase, (cache) => cache.delete(phrase));
    },

    dropAll: dropAllLocal,
    cachedLinks: () => l1.liveLinks(),

    async start() {
      await listener?.start();
    },

    async close() {
      await listener?.stop();
      dropAllLocal();
    },
  };
}
