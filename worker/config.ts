import { z } from 'zod';
import { integer, list, optionalText, requiredText, text } from '../core/config/env';
import { blocklistConfigSchema } from '../core/blocklist/blocklist-config';
import { linksConfigSchema } from '../core/links/links-config';
import { vocabularyConfigSchema } from '../core/vocabularies/vocabulary-config';
import { shortLinksConfigSchema } from './shortlinks/shortlinks-config';
import { parseConfig } from '../core/config/load';
import { databaseConfigSchema } from '../core/db/database-config';
import { loggingConfigSchema } from '../core/logging/logging-config';
import { outboxConfigSchema, relaysOutbox } from '../core/messaging/outbox-config';
import { MAX_RETRIES } from '../core/messaging/topology';

/** Keys only the worker reads. */
const workerOwnKeys = {
  REDIS_URL: optionalText(
    "Redis of the api's caches: link changes made here (spent visit budgets, ShortLinks) reach every api instance at once; unset: within the caches' TTLs.",
  ),
  REDIS_KEY_PREFIX: text('Prefix of the Redis keys and channels of this release (the same as the api).', 'offndat:'),
  AMQP_URL: requiredText('RabbitMQ; the worker exists to consume it, so it is required here (unlike the api).'),
  DB_POOL_MAX: integer('Connections to the primary per process.', { default: 10, min: 1, max: 500 }),
  METRICS_PORT: integer('Port of /metrics, /health and /ready (0: any free port).', {
    default: 9091,
    min: 0,
    max: 65_535,
  }),
  WORKER_PREFETCH: integer('Unacked messages per consumer channel.', { default: 16, min: 1, max: 1_000 }),
  WORKER_MAX_IN_FLIGHT: integer('Messages in flight per queue and process: channels = this / WORKER_PREFETCH.', {
    default: 32,
    min: 1,
    max: 10_000,
  }),
  WORKER_BATCH_MAX_WAIT_MS: integer('How long a partial batch waits for more messages before it is written.', {
    default: 25,
    min: 0,
    max: 10_000,
  }),
  WORKER_RETRY_DELAYS_MS: list(
    `${MAX_RETRIES} retry delays in ms, comma-separated; each only takes effect below the topology's own (1 s, 3 s, 5 s).`,
    z.string().regex(/^\d+$/, 'not a whole number of milliseconds'),
  ).refine((delays) => delays.length === 0 || delays.length === MAX_RETRIES, {
    error: `needs exactly ${MAX_RETRIES} delays`,
  }),
  WORKER_TRANSIENT_RETRY_MAX_DELAY_MS: integer(
    'Longest pause between attempts at a batch held back while the database is unavailable (backoff from 250 ms).',
    { default: 10_000, min: 250, max: 300_000 },
  ),
  QUEUE_DEPTH_INTERVAL_MS: integer(
    'How often queue depths are read from the broker for offndat_rabbitmq_queue_depth.',
    {
      default: 5_000,
      min: 100,
      max: 600_000,
    },
  ),
  OUTBOX_RETENTION_HOURS: integer('Published outbox rows are kept this long, for inspection, then pruned.', {
    default: 72,
    min: 1,
    max: 24 * 365,
  }),
  SHUTDOWN_TIMEOUT_MS: integer(
    'How long SIGTERM waits for in-flight batches before giving up (they are redelivered then).',
    {
      default: 25_000,
      min: 0,
      max: 600_000,
    },
  ),
};

/** Every key the worker reads: its own and its features'. Names are the contract shared with the Helm chart and the tests. */
export const workerConfigSchema = z
  .object({
    ...workerOwnKeys,
    ...databaseConfigSchema.shape,
    ...loggingConfigSchema.shape,
    ...outboxConfigSchema.shape,
    ...shortLinksConfigSchema.shape,
    ...blocklistConfigSchema.shape,
    ...vocabularyConfigSchema.shape,
    ...linksConfigSchema.shape,
  })
  .transform((c) => ({
    ...c,
    WORKER_RETRY_DELAYS_MS: c.WORKER_RETRY_DELAYS_MS.length > 0 ? c.WORKER_RETRY_DELAYS_MS.map(Number) : undefined,
    OUTBOX_RELAY_ENABLED: relaysOutbox(c.OUTBOX_RELAY_ENABLED, { isWorker: true, hasBroker: true }),
    BASE_URL: c.BASE_URL.replace(/\/+$/, ''),
  }));

export type WorkerConfig = z.output<typeof workerConfigSchema>;

/** Parses the environment once; a `ConfigError` lists every invalid key, whichever feature declares it. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseConfig(workerConfigSchema, env);
}
