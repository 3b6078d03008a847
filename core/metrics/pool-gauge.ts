import type { Metrics } from './metrics';

/** What `pg.Pool` exposes about its clients; structural so tests and other pools fit. */
export interface PoolStats {
  readonly totalCount: number;
  readonly idleCount: number;
}

/** Refreshes `active_connections{pool}` from the pools; call right before the registry is serialised. */
export type MetricsCollector = () => void;

/**
 * Reads checked-out connections (total minus idle) at scrape time rather than tracking acquire/release events,
 * which drift when a client errors out while checked out. When reads go to the primary (no replica configured)
 * only `pool="primary"` is reported, so sums over pools do not count the same connections twice.
 */
export function createPoolGaugeCollector(
  metrics: Pick<Metrics, 'activeConnections'>,
  pools: { readonly primary: PoolStats; readonly read: PoolStats },
): MetricsCollector {
  const primary = metrics.activeConnections.labels('primary');
  const read = metrics.activeConnections.labels('read');
  const sharesPrimary = pools.read === pools.primary;
  return () => {
    primary.set(active(pools.primary));
    if (!sharesPrimary) read.set(active(pools.read));
  };
}

function active(pool: PoolStats): number {
  return Math.max(0, pool.totalCount - pool.idleCount);
}
