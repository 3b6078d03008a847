import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createLinkInvalidator } from '../core/links/cache/link-invalidator';
import type { ShortLinkController } from './shortlinks/shortlink-controller';
import { startShortLinks } from './shortlinks/start-shortlinks';
import { createPools, type DatabasePools } from '../core/db/pools';
import { createLogger, type Logger } from '../core/logging/logger';
import { createMetrics, type Metrics } from '../core/metrics/metrics';
import { createPoolGaugeCollector } from '../core/metrics/pool-gauge';
import { createAmqpConnection } from '../core/messaging/amqp-connection';
import { createAmqpEventPublisher } from '../core/messaging/amqp-event-publisher';
import { linkCreatedRoute } from '../core/links/link-created';
import { createOutboxRelay, type OutboxRelay } from '../core/messaging/outbox-relay';
import { startOutboxRetention } from '../core/messaging/outbox-retention';
import type { WorkerConfig } from './config';
import { createWorkerHttpServer, databaseReachable } from './http-server';
import { createWorker, type Worker } from './worker';

export interface WorkerService {
  readonly worker: Worker;
  readonly metrics: Metrics;
  readonly pools: DatabasePools;
  /** The ShortLink reconciler, when SHORTLINKS_ENABLED. */
  readonly shortLinks?: ShortLinkController | undefined;
  /** The port `/metrics`, `/health` and `/ready` listen on (useful with METRICS_PORT=0). */
  readonly port: number;
  /** Graceful: the relay, then the consumers (in-flight batches are finished and acked), the broker, HTTP, the pools. */
  stop(): Promise<void>;
}

/**
 * Assembles the worker process from its config: pools, metrics, HTTP endpoints and the consumers. Resolves as
 * soon as HTTP listens; the consumers connect in the background (`/ready` turns 200 once they run), so a
 * broker that starts after the worker is waited for rather than crashing the pod.
 */
export async function startWorkerService(config: WorkerConfig, deps: { logger?: Logger } = {}): Promise<WorkerService> {
  const logger = deps.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  const metrics = createMetrics({ service: 'worker' });
  const pools = createPools({
    primaryUrl: config.DATABASE_URL,
    primaryMax: config.DB_POOL_MAX,
    readMax: 1,
    applicationName: 'offndat-worker',
  });
  // Link changes made here reach the api instances' caches through the same Redis channel the api uses.
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
  redis?.on('error', (error) => logger.debug({ err: error.message }, 'redis connection error'));
  const invalidate = redis
    ? createLinkInvalidator({ redis, keyPrefix: config.REDIS_KEY_PREFIX })
    : () => Promise.resolve();
  const worker = createWorker({
    onBudgetSpent: async (phrases) => {
      await Promise.all(phrases.map(invalidate));
    },
    pool: pools.primary,
    metrics,
    logger,
    prefetch: config.WORKER_PREFETCH,
    maxInFlight: config.WORKER_MAX_IN_FLIGHT,
    batchMaxWaitMs: config.WORKER_BATCH_MAX_WAIT_MS,
    retryDelaysMs: config.WORKER_RETRY_DELAYS_MS,
    transientRetryMaxDelayMs: config.WORKER_TRANSIENT_RETRY_MAX_DELAY_MS,
    queueDepthIntervalMs: config.QUEUE_DEPTH_INTERVAL_MS,
  });
  let stopping = false;
  const server = createWorkerHttpServer({
    registry: metrics.registry,
    isReady: async () => !stopping && worker.isReady() && (await databaseReachable(pools.primary)),
    logger,
    beforeScrape: createPoolGaugeCollector(metrics, pools),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.METRICS_PORT, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'worker metrics and probes listening');
  // One connection for the process: the consumers set up their channels on every connect, and the relay publishes
  // on its confirm channel (idling, publisher not ready, while the broker is away).
  const connection = createAmqpConnection({
    url: config.AMQP_URL,
    logger,
    name: 'offndat-worker',
    onConnected: worker.consume,
  });
  let relay: OutboxRelay | undefined;
  if (config.OUTBOX_RELAY_ENABLED) {
    relay = createOutboxRelay({
      pool: pools.primary,
      publisher: createAmqpEventPublisher(connection),
      routes: [linkCreatedRoute],
      logger,
      metrics,
      intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
    });
    relay.start();
  }
  let shortLinks: ShortLinkController | undefined;
  try {
    shortLinks = config.SHORTLINKS_ENABLED
      ? await startShortLinks(config, { pool: pools.primary, invalidate, metrics, logger })
      : undefined;
  } catch (error) {
    // Close what is already open, so the process (or the test) can exit with the error.
    await relay?.stop();
    await connection.close();
    server.close();
    server.closeAllConnections();
    await redis?.quit().catch(() => undefined);
    await pools.close();
    throw error;
  }
  const retention = startOutboxRetention({
    pool: pools.primary,
    logger,
    retainMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
  });

  return {
    worker,
    metrics,
    pools,
    port,
    shortLinks,
    async stop() {
      if (stopping) return;
      stopping = true;
      retention.stop();
      await shortLinks?.stop();
      await relay?.stop();
      await worker.stop();
      await connection.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await redis?.quit().catch(() => undefined);
      await pools.close();
    },
  };
}
