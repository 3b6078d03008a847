import { Redis } from 'ioredis';
import { createPools } from '../core/db/pools';
import { migrate } from '../core/db/migrate';
import { startEmbeddedPostgres } from '../core/db/embedded-postgres';
import { cacheSettings } from '../core/links/cache/cache-config';
import { linkCreatedRoute } from '../core/links/link-created';
import { createLinkResolver } from '../core/links/resolve-link';
import { createLogger } from '../core/logging/logger';
import { createAmqpConnection } from '../core/messaging/amqp-connection';
import { createAmqpEventPublisher } from '../core/messaging/amqp-event-publisher';
import { createAmqpVisitPublisher } from '../core/visits/amqp-visit-publisher';
import { createInProcessEventPublisher } from '../core/messaging/in-process-event-publisher';
import { createInProcessVisitSink } from '../core/visits/in-process-visit-sink';
import { createOutboxRelay } from '../core/messaging/outbox-relay';
import { createMetrics } from '../core/metrics/metrics';
import { createPhraseGenerator } from '../core/phrases';
import { createAllowList } from '../core/ratelimit/allow-list';
import { createApiRateLimiter } from '../core/ratelimit/api-rate-limiter';
import { rateLimitSettings } from '../core/ratelimit/rate-limit-config';
import { createRedirectRateLimiter } from '../core/ratelimit/redirect-rate-limiter';
import { createRateLimitRedis } from '../core/ratelimit/redis-client';
import { createVocabularyRepository, createVocabularySource } from '../core/vocabularies';
import { handleVisitBatch } from '../core/visits/handle-visit-batch';
import { createIpAnonymiser } from '../core/visits/anonymise-ip';
import { buildApp } from './app';
import { loadApiConfig } from './config';
import type { ReadinessCheck } from './deps';
import { createApiKeyCheck } from './http/api-key';
import { rateLimitApi } from './http/rate-limit';
import { listen } from './server';

/** The API's composition root: the only place adapters are constructed. */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const limits = rateLimitSettings(config);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const metrics = createMetrics({ service: 'api' });
  const cleanups: Array<() => unknown> = [];

  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ directory: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, logger });
  const pools = createPools({
    primaryUrl: config.DATABASE_URL ?? embedded!.url,
    readUrl: config.DATABASE_READ_URL,
    primaryMax: config.DB_POOL_MAX,
    readMax: config.DB_READ_POOL_MAX,
    applicationName: 'offndat-api',
  });
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
  const links = createLinkResolver({ pools, redis, subscriber, metrics, logger, cache: cacheSettings(config), keyPrefix: config.REDIS_KEY_PREFIX });
  await links.start();

  const amqp = config.AMQP_URL ? createAmqpConnection({ url: config.AMQP_URL, logger, name: 'offndat-api' }) : undefined;
  const visitOptions = { logger, metrics, maxBuffer: config.VISIT_BUFFER_MAX };
  const visits = amqp
    ? createAmqpVisitPublisher({ connection: amqp, ...visitOptions })
    : createInProcessVisitSink({ handle: (batch) => handleVisitBatch({ pool: pools.primary, metrics }, batch), ...visitOptions });
  const relay = config.OUTBOX_RELAY_ENABLED
    ? createOutboxRelay({ pool: pools.primary, routes: [linkCreatedRoute], publisher: amqp ? createAmqpEventPublisher(amqp) : createInProcessEventPublisher({ logger }), logger, metrics, intervalMs: config.OUTBOX_RELAY_INTERVAL_MS })
    : undefined;
  relay?.start();

  const allowList = createAllowList(limits.allowList);
  const limiterRedis = config.REDIS_URL
    ? createRateLimitRedis(config.REDIS_URL, { onError: (error) => logger.debug({ err: error.message }, 'rate-limit redis connection error') })
    : undefined;
  const redirectLimiter = limits.enabled ? createRedirectRateLimiter({ ...limits.redirect, allowList, metrics }) : undefined;
  const apiLimiter = limits.enabled
    ? createApiRateLimiter({ redis: limiterRedis, keyPrefix: `${config.REDIS_KEY_PREFIX}rl`, ...limits.api, allowList, isKnownKey: createApiKeyCheck(config.API_KEYS), metrics, onError: (error) => logger.warn({ err: error }, 'rate limiter failed open') })
    : undefined;

  const readiness: ReadinessCheck[] = [{ name: 'postgres', critical: true, check: async () => void (await pools.primary.query('SELECT 1')) }];
  if (pools.read !== pools.primary) readiness.push({ name: 'postgres-read', critical: false, check: async () => void (await pools.read.query('SELECT 1')) });
  if (redis) readiness.push({ name: 'redis', critical: false, check: async () => void (await redis.ping()) });
  if (amqp) readiness.push({ name: 'rabbitmq', critical: false, check: () => (amqp.isConnected() ? Promise.resolve() : Promise.reject(new Error('not connected'))) });
  // A visit buffer close to full means visits are about to be refused: stop taking new traffic here.
  readiness.push({
    name: 'visit-buffer',
    critical: true,
    check: () => (visits.size() < config.VISIT_BUFFER_MAX * 0.9 ? Promise.resolve() : Promise.reject(new Error(`${visits.size()} visits waiting`))),
  });

  const lifecycle = { shuttingDown: false };
  const listener = buildApp({
    config, logger, metrics, pools, links, visits, readiness, lifecycle, redirectLimiter,
    phrases: createPhraseGenerator({ vocabularies }),
    apiLimiter: apiLimiter && rateLimitApi(apiLimiter, { clientIp: (req) => req.ip }),
    anonymiseIp: config.VISIT_IP_MODE === 'full' ? undefined : createIpAnonymiser(config.VISIT_IP_MODE, config.VISIT_IP_SALT),
  });
  const server = await listen(listener, config.PORT);
  logger.info({ port: server.port, baseUrl: config.BASE_URL, broker: Boolean(amqp), redis: Boolean(redis) }, 'offndat api listening');

  cleanups.push(
    () => visits.close(),
    () => relay?.stop(),
    () => links.close(),
    () => redirectLimiter?.close(),
    () => amqp?.close(),
    () => limiterRedis?.quit(),
    () => redis?.quit(),
    () => subscriber?.quit(),
    () => pools.close(),
    () => embedded?.stop(),
  );

  // SIGTERM: fail /ready, stop accepting, finish in-flight requests, flush visits, then close everything.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    await server.drain(config.SHUTDOWN_TIMEOUT_MS);
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'cleanup step failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Config errors list every bad key in their message; anything else is printed whole, cause included.
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
