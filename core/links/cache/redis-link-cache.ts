import type { Redis } from 'ioredis';
import type { ResolvedLink } from '../link';
import { cacheTtlMs } from '../link-state';
import { ABSENT_PAYLOAD, decodePayload, encodeLink, isSharable, type L2Lookup } from './l2-link-payload';

export interface RedisLinkCacheOptions {
  readonly redis: Redis;
  /** Namespace shared by every key this service writes (`offndat:`). */
  readonly keyPrefix: string;
  readonly ttlSec: number;
  readonly negativeTtlMs: number;
  /** Past this, a Redis round trip counts as failed: the database is the better bet for the waiting redirect. */
  readonly timeoutMs: number;
}

export interface RedisLinkCache {
  key(phrase: string): string;
  lookup(phrase: string): Promise<L2Lookup>;
  /** Stores a live link for its TTL or until it expires, whichever is sooner; other links are not shared. */
  storeLink(phrase: string, link: ResolvedLink): Promise<void>;
  /** Never overwrites a value: a concurrent create may have stored the link a moment ago. */
  storeAbsent(phrase: string): Promise<void>;
  delete(phrase: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Stores every link, then publishes `message`: one pipeline, so one round trip however many links. */
  storeLinksAndPublish(
    links: ReadonlyArray<{ phrase: string; link: ResolvedLink }>,
    channel: string,
    message: string,
  ): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(reason: string) {
    super(`Redis unavailable: ${reason}`);
    this.name = 'RedisUnavailableError';
  }
}

interface Waiting {
  /** `performance.now()` past which the call has failed. */
  readonly deadline: number;
  readonly reject: (error: Error) => void;
}

// While ioredis is between connections a command would sit in its offline queue; fail at once instead.
const DOWN_STATUSES = new Set(['reconnecting', 'close', 'end']);

/**
 * The L2 adapter. Every call either settles within `timeoutMs` or rejects; the resolver decides what a failure
 * means (a miss). The command itself may still complete later, which is harmless for these idempotent writes.
 */
export function createRedisLinkCache(options: RedisLinkCacheOptions): RedisLinkCache {
  const { redis, keyPrefix, ttlSec, negativeTtlMs, timeoutMs } = options;

  /**
   * Calls awaiting Redis, oldest first: they share one timeout, so the order they started in is the order they
   * expire in, and one timer armed for the oldest serves them all. A timer per call cost a measurable share of
   * a redirect served from Redis.
   */
  const waiting = new Set<Waiting>();
  let sweeper: NodeJS.Timeout | undefined;

  // Unreferenced: the pending command's socket keeps the process alive; the timer alone must not, after the last call.
  function arm(ms: number): void {
    sweeper = setTimeout(sweep, ms);
    sweeper.unref();
  }

  function sweep(): void {
    sweeper = undefined;
    const now = performance.now();
    for (const call of waiting) {
      if (call.deadline > now) {
        arm(call.deadline - now);
        return;
      }
      waiting.delete(call);
      call.reject(new RedisUnavailableError(`no answer within ${timeoutMs} ms`));
    }
  }

  /** Runs `command` under the timeout; `read` turns its reply into the answer (one promise fewer than a `then`). */
  function run<R, T = R>(command: () => Promise<R>, read?: (reply: R) => T): Promise<T> {
    if (DOWN_STATUSES.has(redis.status)) return Promise.reject(new RedisUnavailableError(redis.status));
    return new Promise<T>((resolve, reject) => {
      const call: Waiting = { deadline: performance.now() + timeoutMs, reject };
      waiting.add(call);
      if (!sweeper) arm(timeoutMs);
      command().then(
        (reply) => {
          if (waiting.delete(call)) resolve(read ? read(reply) : (reply as unknown as T));
        },
        (error: unknown) => {
          if (waiting.delete(call)) reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  const key = (phrase: string) => `${keyPrefix}link:target:${phrase}`;
  const ttlMs = ttlSec * 1_000;
  /** The PX argument for a link, or 0 when it must not be stored. */
  const storeFor = (link: ResolvedLink) => (isSharable(link) ? cacheTtlMs(link, ttlMs, Date.now()) : 0);

  return {
    key,
    lookup: (phrase) => run(() => redis.get(key(phrase)), decodePayload),
    storeLink: (phrase, link) => {
      const px = storeFor(link);
      return px > 0
        ? run(() => redis.set(key(phrase), encodeLink(link), 'PX', px)).then(() => undefined)
        : Promise.resolve();
    },
    storeAbsent: (phrase) =>
      run(() => redis.set(key(phrase), ABSENT_PAYLOAD, 'PX', negativeTtlMs, 'NX')).then(() => undefined),
    delete: (phrase) => run(() => redis.del(key(phrase))).then(() => undefined),
    publish: (channel, message) => run(() => redis.publish(channel, message)).then(() => undefined),
    storeLinksAndPublish: (links, channel, message) =>
      run(async () => {
        const pipeline = redis.pipeline();
        for (const { phrase, link } of links) {
          const px = storeFor(link);
          if (px > 0) pipeline.set(key(phrase), encodeLink(link), 'PX', px);
        }
        // Commands run in order on one connection: whoever hears the message and re-reads finds the new value.
        pipeline.publish(channel, message);
        for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
      }),
  };
}
