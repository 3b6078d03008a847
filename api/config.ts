import { z } from 'zod';
import { emptyAsUndefined, parseList } from '../core/config/env';
import { parseConfig } from '../core/config/load';

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const list = z.preprocess(parseList, z.array(z.string()));
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** Every key the API reads. Names are the contract shared with the Helm chart and the tests. */
export const apiConfigSchema = z
  .object({
    /** Port the HTTP server listens on. */
    PORT: int(8080, 0, 65535),
    /** Public origin used in short and stats URLs; defaults to http://localhost:$PORT. */
    BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    /** Primary PostgreSQL (writes). Unset: an embedded PostgreSQL is started under EMBEDDED_PG_DIR. */
    DATABASE_URL: optionalString,
    /** Read replicas (e.g. a CloudNativePG `-ro` service); comma-separated; defaults to the primary. */
    DATABASE_READ_URL: optionalString,
    /** Redis for the L2 cache, invalidation and rate-limit state; unset: in-process only. */
    REDIS_URL: optionalString,
    /** RabbitMQ; unset: visits and events are delivered in process to the same handlers. */
    AMQP_URL: optionalString,
    /** Accepted X-Offnd-Api-Key values, comma-separated; empty leaves the API open. */
    API_KEYS: list,
    /** Origins allowed by CORS (with credentials), comma-separated. */
    CORS_ORIGINS: list,
    /** `bundled` (default), a directory, or an http(s) base URL laid out like the upstream vocabularies. */
    VOCABULARY_SOURCE: z.preprocess(emptyAsUndefined, z.string().default('bundled')),
    /** pino level. */
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    /** Status used for redirects (301 lets browsers cache; 302/307 make every click reach us). */
    REDIRECT_STATUS: z.preprocess(emptyAsUndefined, z.coerce.number().pipe(z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)])).default(301)),
    /** Cache-Control on redirects; `private, max-age=90` keeps repeat clicks visible to the stats. */
    REDIRECT_CACHE_CONTROL: z.preprocess(emptyAsUndefined, z.string().default('private, max-age=90')),
    /** Express `trust proxy`: hop count, `true`/`false`, or comma-separated addresses/CIDRs/presets. */
    TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().default('loopback, linklocal, uniquelocal')),
    /** Largest accepted request body. */
    BODY_LIMIT: z.preprocess(emptyAsUndefined, z.string().default('16kb')),
    DB_POOL_MAX: int(20, 1, 500),
    DB_READ_POOL_MAX: int(20, 1, 500),
    /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
    EMBEDDED_PG_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data/postgres')),
    EMBEDDED_PG_PORT: int(5439, 1, 65535),
    /** How long SIGTERM waits for in-flight requests before closing connections. */
    SHUTDOWN_TIMEOUT_MS: int(25_000, 0, 600_000),
    /** Phrase collisions retried with backoff before the phrase is lengthened. */
    PHRASE_RETRY_ATTEMPTS: int(5, 1, 20),
    PHRASE_RETRY_BASE_DELAY_MS: int(10, 0, 10_000),
    PHRASE_RETRY_MAX_DELAY_MS: int(200, 0, 60_000),
    /** Vocabulary cache lifetime (positive and negative entries). */
    VOCABULARY_TTL_SEC: int(3600, 1, 86_400),
    VOCABULARY_NEGATIVE_TTL_SEC: int(60, 1, 86_400),
    /** Apply pending migrations at start-up (the Helm chart runs them in a hook Job instead). */
    MIGRATE_ON_START: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('true')).transform((v) => v === 'true'),
    /**
     * Relay the outbox from this process. `auto` (default): only without a broker, where no worker runs; with
     * one, the worker relays and the API spends its CPU on requests.
     */
    OUTBOX_RELAY_ENABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', 'auto']).default('auto')),
    /** How client IPs are stored with visits: full, truncate (/24 and /48), or hash (HMAC with VISIT_IP_SALT). */
    VISIT_IP_MODE: z.preprocess(emptyAsUndefined, z.enum(['full', 'truncate', 'hash']).default('full')),
    VISIT_IP_SALT: z.preprocess(emptyAsUndefined, z.string().default('')),
    /** Visits held while the broker (or database, without one) is unreachable; about 1 KB each. */
    VISIT_BUFFER_MAX: int(100_000, 1_000, 10_000_000),
  })
  .transform((c) => ({
    ...c,
    BASE_URL: (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    OUTBOX_RELAY_ENABLED: c.OUTBOX_RELAY_ENABLED === 'auto' ? c.AMQP_URL === undefined : c.OUTBOX_RELAY_ENABLED === 'true',
  }));

export type ApiConfig = z.output<typeof apiConfigSchema>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseConfig(apiConfigSchema, env);
}
