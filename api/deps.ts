import type { DatabasePools } from '../core/db/pools';
import type { ApiRateLimiter } from '../core/ratelimit/api-rate-limiter';
import type { PhraseSource } from '../core/links/create-link';
import type { ResolvedLink } from '../core/links/link';
import type { Logger } from '../core/logging/logger';
import type { Metrics } from '../core/metrics/metrics';
import type { VisitSink } from '../core/visits/visit';
import type { BlocklistRule } from '../core/blocklist/blocklist-rule';
import type { AdminDeps } from './admin/admin-deps';
import type { ApiConfig } from './config';

/** How redirects find links: the cache-backed resolver in production, the database alone at minimum. */
export interface LinkLookup {
  /** Synchronous in-process lookup: undefined = unknown here, null = known not to exist. */
  peek?(phrase: string): ResolvedLink | null | undefined;
  resolve(phrase: string): Promise<ResolvedLink | undefined>;
  /** After a create: primes the caches and tells every instance to forget a cached "unknown phrase". */
  remember?(phrase: string, link: ResolvedLink): Promise<void>;
  /** Links this process can redirect to from memory alone (its L1), whatever the database and Redis do. */
  cachedLinks?(): number;
}

/** Blocklist checks at creation; the same rules screen links as they enter the redirect caches. */
export interface TargetScreen {
  /** The rule refusing the target, if any. */
  check(targetUrl: string): BlocklistRule | undefined;
  /** False until the rules have been read once: creation is refused (503) rather than let a blocked target in. */
  loaded(): boolean;
}

export interface RedirectVerdict {
  readonly allowed: boolean;
  readonly retryAfterSec: number;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSec: number;
}

/** Per-client redirect budget; `undefined` means the client is not limited (allow-listed). */
export interface RedirectLimiter {
  take(clientIp: string): RedirectVerdict | undefined;
}

export interface ReadinessCheck {
  readonly name: string;
  /**
   * Whether failing makes the instance unready. Redis and RabbitMQ are not critical: redirects fall back to
   * the database and visits wait in the buffer, so taking every pod out of service would turn a degraded
   * dependency into an outage. They are still checked and reported as Degraded.
   */
  readonly critical: boolean;
  check(): Promise<void>;
  /**
   * For a critical check: whether the instance can still do its main work without this dependency (the
   * database is down, but Redis or the in-process cache still answers redirects). Then it reports Degraded.
   */
  fallback?(): Promise<boolean>;
}

/** Everything the API needs, constructed once by `startApiService()` (`api/service.ts`) and passed in. */
export interface ApiDeps {
  readonly config: ApiConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly pools: DatabasePools;
  readonly phrases: PhraseSource;
  readonly links: LinkLookup;
  readonly visits: VisitSink;
  readonly readiness: readonly ReadinessCheck[];
  /** Flipped on SIGTERM so /ready fails and load balancers stop sending traffic before we close. */
  readonly lifecycle: { shuttingDown: boolean };
  readonly redirectLimiter?: RedirectLimiter | undefined;
  /** Limits the API routes (per key / per IP); absent when RATE_LIMIT_ENABLED is off. */
  readonly apiLimiter?: ApiRateLimiter | undefined;
  /** Visit IP anonymisation applied before an event leaves the process. */
  readonly anonymiseIp?: ((ip: string) => string | null) | undefined;
  /** Refuses blocklisted targets at creation; absent, nothing is refused. */
  readonly blocklist?: TargetScreen | undefined;
  /** The admin API; absent when no admin key is configured. */
  readonly admin?: AdminDeps | undefined;
}
