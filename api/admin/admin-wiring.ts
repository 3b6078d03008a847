import type { Redis } from 'ioredis';
import { countAdminActions } from '../../core/audit/audit-metrics';
import { createBlocklistAdministration } from '../../core/blocklist/administer-blocklist';
import type { BlocklistStore } from '../../core/blocklist/blocklist-store';
import { createBlocklistSync, type BlocklistSync } from '../../core/blocklist/blocklist-sync';
import type { DatabasePools } from '../../core/db/pools';
import { createLinkAdministration } from '../../core/links/admin/administer-link';
import type { LinkResolver } from '../../core/links/resolve-link';
import type { Logger } from '../../core/logging/logger';
import type { Metrics } from '../../core/metrics/metrics';
import type { ApiConfig } from '../config';
import type { AdminDeps } from './admin-deps';
import { createAdminKeyCheck } from './admin-keys';
import { createAdminRateLimit } from './admin-rate-limit';

/** Drops phrases from every instance's caches (a spent visit budget, told by the visit handler). */
export async function invalidateAll(
  links: Pick<LinkResolver, 'invalidate'>,
  phrases: readonly string[],
): Promise<void> {
  await Promise.all(phrases.map((phrase) => links.invalidate(phrase)));
}

/**
 * Keeps the blocklist of this process current: at start, on every change message, and every
 * BLOCKLIST_REFRESH_SEC. The caches forget their verdicts only when the rules really changed.
 */
export function startBlocklistSync(
  config: Pick<ApiConfig, 'REDIS_KEY_PREFIX' | 'BLOCKLIST_REFRESH_SEC'>,
  deps: {
    readonly blocklistStore: BlocklistStore;
    readonly links: Pick<LinkResolver, 'dropAll'>;
    readonly redis?: Redis | undefined;
    readonly subscriber?: Redis | undefined;
    readonly logger: Logger;
  },
): BlocklistSync {
  return createBlocklistSync({
    subscriber: deps.subscriber,
    publisher: deps.redis,
    channel: `${config.REDIS_KEY_PREFIX}blocklist-changed`,
    intervalMs: config.BLOCKLIST_REFRESH_SEC * 1_000,
    refresh: async () => {
      const before = deps.blocklistStore.current().fingerprint;
      const after = (await deps.blocklistStore.reload()).fingerprint;
      if (after !== before) deps.links.dropAll();
    },
    warn: (error, message) => deps.logger.warn({ err: error }, message),
  });
}

/** The admin API's collaborators, or undefined (admin API off) when no admin key is configured. */
export function createAdminDeps(
  config: ApiConfig,
  deps: {
    readonly pools: DatabasePools;
    readonly links: Pick<LinkResolver, 'invalidate'>;
    readonly blocklistStore: BlocklistStore;
    readonly blocklistSync: BlocklistSync;
    readonly redis?: Redis | undefined;
    readonly metrics: Metrics;
    readonly logger: Logger;
  },
): AdminDeps | undefined {
  const onAction = countAdminActions(deps.metrics);
  if (config.ADMIN_KEYS.length === 0) return undefined;
  const links = createLinkAdministration({
    pool: deps.pools.primary,
    invalidate: (phrase) => deps.links.invalidate(phrase),
    onAction,
  });
  return {
    authenticate: createAdminKeyCheck(config.ADMIN_KEYS),
    limit: config.RATE_LIMIT_ENABLED
      ? createAdminRateLimit({
          redis: deps.redis,
          keyPrefix: `${config.REDIS_KEY_PREFIX}rl:admin`,
          perMinute: config.RATE_LIMIT_ADMIN_PER_MIN,
          metrics: deps.metrics,
          onError: (error) => deps.logger.warn({ err: error }, 'admin rate limiter failed open'),
        })
      : undefined,
    pool: deps.pools.primary,
    links,
    blocklist: createBlocklistAdministration({
      pool: deps.pools.primary,
      changed: () => deps.blocklistSync.changed(),
      current: () => deps.blocklistStore.current(),
      links,
      onAction,
    }),
    blocklistStore: deps.blocklistStore,
    baseUrl: config.BASE_URL,
  };
}
