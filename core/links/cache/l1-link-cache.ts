import { LRUCache } from 'lru-cache';
import type { ResolvedLink } from '../link';

export interface L1LinkCacheOptions {
  readonly maxEntries: number;
  /** Approximate memory cap: a 4 KiB target URL weighs forty times a short one, so entries alone do not bound it. */
  readonly maxBytes: number;
  readonly ttlMs: number;
  readonly negativeMaxEntries: number;
  readonly negativeTtlMs: number;
  /** Milliseconds clock (must stay above 0: lru-cache reads a 0 start as "no TTL"); injected by tests. */
  readonly now?: () => number;
}

/** Rough heap cost of one entry: both strings (two bytes per char at worst) plus the object and LRU slots. */
function entryBytes(link: ResolvedLink, phrase: string): number {
  return 2 * (phrase.length + link.targetUrl.length + link.id.length) + 160;
}

/**
 * The per-process cache. Unknown phrases live in their own, smaller LRU so a 404 flood of random phrases
 * evicts other unknown phrases, never the hot links that serve real traffic.
 * `get` answers a link, `null` for "known to be absent", `undefined` for "not cached".
 */
export class L1LinkCache {
  private readonly links: LRUCache<string, ResolvedLink>;
  private readonly absent: LRUCache<string, true>;

  constructor(options: L1LinkCacheOptions) {
    const now = options.now;
    // lru-cache memoises "now" for ttlResolution ms of real time, which would hide a test clock's jumps.
    const perf = now ? { perf: { now }, ttlResolution: 0 } : {};
    this.links = new LRUCache<string, ResolvedLink>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: entryBytes,
      ttl: options.ttlMs,
      ...perf,
    });
    this.absent = new LRUCache<string, true>({ max: options.negativeMaxEntries, ttl: options.negativeTtlMs, ...perf });
  }

  get(phrase: string): ResolvedLink | null | undefined {
    const link = this.links.get(phrase);
    if (link !== undefined) return link;
    return this.absent.get(phrase) ? null : undefined;
  }

  /** `ttlMs` shortens the entry's life below the cache's TTL (a link that expires sooner); never lengthens it. */
  set(phrase: string, link: ResolvedLink, ttlMs?: number): void {
    this.absent.delete(phrase);
    if (ttlMs === undefined) this.links.set(phrase, link);
    else if (ttlMs > 0) this.links.set(phrase, link, { ttl: ttlMs });
    else this.links.delete(phrase);
  }

  setAbsent(phrase: string): void {
    this.links.delete(phrase);
    this.absent.set(phrase, true);
  }

  delete(phrase: string): void {
    this.links.delete(phrase);
    this.absent.delete(phrase);
  }

  clear(): void {
    this.links.clear();
    this.absent.clear();
  }

  /** Links that have not expired; expired entries otherwise linger until they are read or evicted. */
  liveLinks(): number {
    this.links.purgeStale();
    return this.links.size;
  }

  get size(): { links: number; absent: number } {
    return { links: this.links.size, absent: this.absent.size };
  }
}
