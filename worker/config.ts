import { z } from 'zod';
import { emptyAsUndefined, parseList } from '../core/config/env';
import { parseConfig } from '../core/config/load';
import { MAX_RETRIES } from '../core/messaging/topology';

const requiredString = z.preprocess(emptyAsUndefined, z.string({ error: 'is required' }).min(1));
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const bool = (fallback: boolean) =>
  z.preprocess(emptyAsUndefined, z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] }).default(fallback));

/** Every key the worker reads. Names are the contract shared with the Helm chart and the tests. */
export const workerConfigSchema = z
  .object({
    /** RabbitMQ; the worker exists to consume it, so it is required here (unlike the api). */
    AMQP_URL: requiredString,
    /** Primary PostgreSQL: the worker only writes. */
    DATABASE_URL: requiredString,
    /** Port of `/metrics`, `/health` and `/ready`. */
    METRICS_PORT: int(9091, 0, 65535),
    /** Unacked messages per consumer channel (the scalability document's prefetch). */
    WORKER_PREFETCH: int(16, 1, 1000),
    /** Messages in flight per queue and process (the document's ConcurrentMessageLimit): channels = this / prefetch. */
    WORKER_MAX_IN_FLIGHT: int(32, 1, 10_000),
    /** How long a partial batch waits for more messages before it is written. */
    WORKER_BATCH_MAX_WAIT_MS: int(25, 0, 10_000),
    /** Three retry delays in ms, comma-separated; each only takes effect below the topology's 1 s, 3 s, 5 s. */
    WORKER_RETRY_DELAYS_MS: z.preprocess(
      parseList,
      z.array(z.coerce.number().int().min(0)).refine((delays) => delays.length === 0 || delays.length === MAX_RETRIES, {
        error: `needs exactly ${MAX_RETRIES} delays`,
      }),
    ),
    /** How often queue depths are read from the broker for `offndat_rabbitmq_queue_depth`. */
    QUEUE_DEPTH_INTERVAL_MS: int(5_000, 100, 600_000),
    /** Run the transactional outbox relay in this process. */
    OUTBOX_RELAY_ENABLED: bool(true),
    OUTBOX_RELAY_INTERVAL_MS: int(500, 10, 600_000),
    /** Published outbox rows are kept this long, for inspection, then pruned. */
    OUTBOX_RETENTION_HOURS: int(72, 1, 24 * 365),
    DB_POOL_MAX: int(10, 1, 500),
    /** How long SIGTERM waits for in-flight batches before giving up (they are redelivered then). */
    SHUTDOWN_TIMEOUT_MS: int(25_000, 0, 600_000),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  })
  .transform((c) => ({
    ...c,
    WORKER_RETRY_DELAYS_MS: c.WORKER_RETRY_DELAYS_MS.length > 0 ? c.WORKER_RETRY_DELAYS_MS : undefined,
  }));

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseConfig(workerConfigSchema, env);
}
