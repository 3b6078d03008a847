import { Redis } from 'ioredis';
import { createPools } from '../core/db/pools';
import { migrate } from '../core/db/migrate';
import { cacheSettings } from '../core/links/cache/cache-config';
import { linkCreatedRoute } from '../core/links/link-created';
import { createLinkResolver } from '../core/links/resolve-link';
import { createLogger, type Logger } from '../core/logging/logger';
import { createAmqpConnection, type AmqpConnection } from '../core/messaging/amqp-connection';
import { createAmqpEventPublisher } from '../core/messaging/amqp-event-publisher';
import { createInProcessEventPublisher } from '../core/messaging/in-process-event-publisher';
import { createOutboxRelay } from '../core/messaging/outbox-relay';
import { createMetrics } from '../core/metrics/metrics';
import { createPhraseGenerator } from '../core/phrases';
import { createAmqpVisitPublisher } from '../core/visits/amqp-visit-publisher';
import { createIpAnonymiser } from '../core/visits/anonymise-ip';
import type { BufferedVisitSink } from '../core/visits/batching-visit-sink';
import { handleVisitBatch } from '../core/visits/handle-visit-batch';
import { createInProcessVisitSink } from '../core/visits/in-process-visit-sink';
import { createVocabularyRepository, createVocabularySource } from '../core/vocabularies';
import { createAdminDeps, invalidateAll, startBlocklistSync } from './admin/admin-wiring';
import { buildAdminApp, buildApp } from './app';
import { createBlocklistStore } from '../core/blocklist/blocklist-store';
import type { ApiConfig } from './config';
import type { ApiDeps } from './deps';
import { readinessChecks } from './health/readiness-checks';
import { createRateLimiting } from './http/rate-limiting';
import { listen } from './server';
import { listenMetrics } from './metrics/metrics-server';
import { createPoolGaugeCollector } from '../core/metrics/pool-gauge';

export interface ApiService {
  /** The port the server listens on (useful with PORT=0). */
  readonly port: number;
  /** The admin API's own port, when `ADMIN_PORT` gives it one. */
  readonly adminPort?: number | undefined;
  /** The port /metrics listens on (useful with METRICS_PORT=0). */
  readonly metricsPort: number;
  /** What `buildApp()` was given; tests read readiness and lifecycle through it. */
  readonly deps: ApiDeps;
  /** The redirect path's visit buffer; `flush()` waits until every visit emitted so far is delivered. */
  readonly visits: BufferedVisitSink;
  /** Graceful: fail /ready, stop accepting, finish in-flight requests, flush visits, then close everything. */
  stop(): Promise<void>;
}

export interface ApiServiceOptions {
  readonly logger?: Logger;
  /** Phrase draws, uniform in [0, 1); tests seed it so draws repeat. */
  readonly random?: () => number;
  /** Interface to listen on; every interface by default. */
  readonly host?: string;
}

/**
 * Assembles the api from its config, the one place its adapters are constructed: pools, caches, broker, limiters,
 * then `buildApp(deps)` and `listen()`. `api/main.ts` runs it and handles signals; component tests run the same
 * function on port 0, so they exercise the production wiring.
 */
export async function startApiService(config: ApiConfig, options: ApiServiceOptions = {}): Promise<ApiService> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const metrics = createMetrics({ service: 'api' });
  // Constructed before anything opens a connection, so a bad VISIT_IP_MODE/VISIT_IP_SALT pair fails at once.
  const anonymiseIp =
    config.VISIT_IP_MODE === 'full' ? undefined : createIpAnonymiser(config.VISIT_IP_MODE, config.VISIT_IP_SALT);
  const cleanups: Array<() => unknown> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'cleanup step failed');
      }
    }
  };

  try {
    const pools = createPools({
      primaryUrl: config.DATABASE_URL,
      readUrl: config.DATABASE_READ_URL,
      primaryMax: config.DB_POOL_MAX,
      readMax: config.DB_READ_POOL_MAX,
      applicationName: 'offndat-api',
    });
    cleanups.push(() => pools.close());
    if (config.MIGRATE_ON_START) logger.info({ applied: await migrate(pools.primary) }, 'migrations checked');

    const vocabularies = createVocabularyRepository({
      source: createVocabularySource(config.VOCABULARY_SOURCE),
      ttlMs: config.VOCABULARY_TTL_SEC * 1000,
      negativeTtlMs: config.VOCABULARY_NEGATIVE_TTL_SEC * 1000,
    });

    // Auto-pipelining batches the GETs of concurrent redirects into one write: far fewer syscalls per lookup.
    const redis = config.REDIS_URL
      ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true })
      : undefined;
    const subscriber = redis?.duplicate({ enableOfflineQueue: true, enableAutoPipelining: false });
    redis?.on('error', (error) => logger.debug({ err: error.message }, 'redis cache connection error'));
    subscriber?.on('error', (error) => logger.debug({ err: error.message }, 'redis subscriber connection error'));
    cleanups.push(
      () => redis?.quit(),
      () => subscriber?.quit(),
    );
    const blocklistStore = createBlocklistStore({ pool: pools.primary, file: config.BLOCKLIST_FILE });
    const links = createLinkResolver({
      pools,
      redis,
      subscriber,
      metrics,
      logger,
      cache: cacheSettings(config),
      keyPrefix: config.REDIS_KEY_PREFIX,
      screen: (link) => (blocklistStore.current().match(link.targetUrl) ? 'blocked' : undefined),
    });
    cleanups.push(() => links.close());
    await links.start();
    const blocklistSync = startBlocklistSync(config, { blocklistStore, links, redis, subscriber, logger });
    cleanups.push(() => blocklistSync.stop());
    await blocklistSync.start();

    const amqp: AmqpConnection | undefined = config.AMQP_URL
      ? createAmqpConnection({ url: config.AMQP_URL, logger, name: 'offndat-api' })
      : undefined;
    cleanups.push(() => amqp?.close());
    const visitOptions = {
      logger,
      metrics,
      maxBuffer: config.VISIT_BUFFER_MAX,
      flushIntervalMs: config.VISIT_FLUSH_INTERVAL_MS,
    };
    const visits = amqp
      ? createAmqpVisitPublisher({ connection: amqp, ...visitOptions })
      : createInProcessVisitSink({
          handle: (batch) =>
            handleVisitBatch(
              { pool: pools.primary, metrics, onBudgetSpent: (phrases) => invalidateAll(links, phrases) },
              batch,
            ),
          ...visitOptions,
        });
    // Cleanups run in reverse: the visits are flushed while the broker connection and the pools are still open.
    cleanups.push(() => visits.close());
    if (config.OUTBOX_RELAY_ENABLED) {
      const relay = createOutboxRelay({
        pool: pools.primary,
        routes: [linkCreatedRoute],
        publisher: amqp ? createAmqpEventPublisher(amqp) : createInProcessEventPublisher({ logger }),
        logger,
        metrics,
        intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
      });
      relay.start();
      cleanups.push(() => relay.stop());
    }

    const limiting = createRateLimiting(config, { metrics, logger });
    cleanups.push(() => limiting.close());

    const deps: ApiDeps = {
      config,
      logger,
      metrics,
      pools,
      links,
      visits,
      readiness: readinessChecks({
        pools,
        redis,
        amqp,
        visits,
        visitBufferMax: config.VISIT_BUFFER_MAX,
        cachedLinks: () => links.cachedLinks(),
      }),
      lifecycle: { shuttingDown: false },
      redirectLimiter: limiting.redirectLimiter,
      phrases: createPhraseGenerator({ vocabularies, ...(options.random ? { random: options.random } : {}) }),
      apiLimiter: limiting.apiLimiter,
      anonymiseIp,
      blocklist: blocklistStore,
      admin: createAdminDeps(config, { pools, links, blocklistStore, blocklistSync, redis, metrics, logger }),
    };
    const metricsServer = await listenMetrics(
      metrics.registry,
      [createPoolGaugeCollector(metrics, pools)],
      config.METRICS_PORT,
      options.host,
    );
    cleanups.push(() => metricsServer.close());
    const server = await listen(buildApp(deps), config.PORT, options.host);
    const adminServer =
      deps.admin && config.ADMIN_PORT !== undefined
        ? await listen(buildAdminApp({ ...deps, admin: deps.admin }, config.BASE_URL), config.ADMIN_PORT, options.host)
        : undefined;
    logger.info(
      {
        port: server.port,
        adminPort: adminServer?.port,
        metricsPort: metricsServer.port,
        baseUrl: config.BASE_URL,
        broker: Boolean(amqp),
        redis: Boolean(redis),
      },
      'offndat api listening',
    );

    let stopping: Promise<void> | undefined;
    return {
      port: server.port,
      adminPort: adminServer?.port,
      metricsPort: metricsServer.port,
      deps,
      visits,
      stop() {
        stopping ??= (async () => {
          deps.lifecycle.shuttingDown = true;
          await Promise.all([server.drain(config.SHUTDOWN_TIMEOUT_MS), adminServer?.drain(config.SHUTDOWN_TIMEOUT_MS)]);
          await close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    // A start-up that fails half-way closes what it opened, so the process (or the test) can exit cleanly.
    await close();
    throw error;
  }
}
