import type { DatabasePools } from '../db/pools';
import type { Logger } from '../logging/logger';
import { createRateLimitedWarn } from '../logging/rate-limited-warn';
import type { LinkStats } from './link';
import { findLinkStats } from './pg-link-repository';

const LOG_INTERVAL_MS = 10_000;

export type ReadLinkStats = (phrase: string) => Promise<LinkStats | undefined>;

/**
 * Stats are read from a replica; the primary answers when the replica does not have the link yet (it lags
 * behind a create) or cannot answer at all (down, failing over), so a lost replica costs the primary some reads
 * rather than every stats page. Only the primary may say a phrase is unknown.
 */
export function createLinkStatsReader(
  pools: Pick<DatabasePools, 'primary' | 'read'>,
  logger: Pick<Logger, 'warn'>,
): ReadLinkStats {
  const warn = createRateLimitedWarn(logger, LOG_INTERVAL_MS);
  return async (phrase) => {
    if (pools.read !== pools.primary) {
      try {
        const stats = await findLinkStats(pools.read, phrase);
        if (stats) return stats;
      } catch (error) {
        warn(error, 'link stats on the read replica failed; asking the primary');
      }
    }
    return findLinkStats(pools.primary, phrase);
  };
}
