import { hostname } from 'node:os';
import type { Pool } from 'pg';
import { countAdminActions } from '../../core/audit/audit-metrics';
import { createBlocklistStore } from '../../core/blocklist/blocklist-store';
import { createBlocklistSync } from '../../core/blocklist/blocklist-sync';
import { createLinkAdministration } from '../../core/links/admin/administer-link';
import { createLinkCreator } from '../../core/links/create-link';
import { collisionPolicy } from '../../core/links/links-config';
import type { Logger } from '../../core/logging/logger';
import type { Metrics } from '../../core/metrics/metrics';
import { createPhraseGenerator } from '../../core/phrases';
import { createVocabularyRepository, createVocabularySource } from '../../core/vocabularies';
import type { WorkerConfig } from '../config';
import { startShortLinkController, type ShortLinkController } from './shortlink-controller';

/** The reconciler and what it needs, when SHORTLINKS_ENABLED; the worker's composition root calls this. */
export async function startShortLinks(
  config: WorkerConfig,
  deps: {
    readonly pool: Pool;
    readonly invalidate: (phrase: string) => Promise<void>;
    readonly metrics: Metrics;
    readonly logger: Logger;
  },
): Promise<ShortLinkController> {
  const namespace = config.SHORTLINKS_NAMESPACE ?? config.POD_NAMESPACE;
  if (!namespace) throw new Error('SHORTLINKS_ENABLED needs SHORTLINKS_NAMESPACE or POD_NAMESPACE');
  const blocklist = createBlocklistStore({ pool: deps.pool, file: config.BLOCKLIST_FILE });
  // No change messages here: the worker's rules are only read, so the periodic refresh is enough.
  const blocklistSync = createBlocklistSync({
    channel: 'unused',
    refresh: async () => void (await blocklist.reload()),
    intervalMs: config.BLOCKLIST_REFRESH_SEC * 1_000,
    warn: (error, message) => deps.logger.warn({ err: error }, message),
  });
  await blocklistSync.start();
  const vocabularies = createVocabularyRepository({
    source: createVocabularySource(config.VOCABULARY_SOURCE),
    ttlMs: config.VOCABULARY_TTL_SEC * 1000,
    negativeTtlMs: config.VOCABULARY_NEGATIVE_TTL_SEC * 1000,
  });
  const controller = await startShortLinkController({
    namespace,
    identity: config.POD_NAME ?? hostname(),
    leaseName: config.SHORTLINKS_LEASE_NAME,
    leaseDurationSec: config.SHORTLINKS_LEASE_DURATION_SEC,
    resyncSec: config.SHORTLINKS_RESYNC_SEC,
    baseUrl: config.BASE_URL,
    logger: deps.logger,
    deps: {
      pool: deps.pool,
      create: createLinkCreator({
        pool: deps.pool,
        phrases: createPhraseGenerator({ vocabularies }),
        policy: collisionPolicy(config),
        logger: deps.logger,
      }),
      admin: createLinkAdministration({
        pool: deps.pool,
        invalidate: deps.invalidate,
        onAction: countAdminActions(deps.metrics),
      }),
      blocklist,
      invalidate: deps.invalidate,
    },
  });
  return {
    isLeader: () => controller.isLeader(),
    async stop() {
      await blocklistSync.stop();
      await controller.stop();
    },
  };
}
