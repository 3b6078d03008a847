import { z } from 'zod';
import { byteSize, emptyAsUndefined, flag, integer, list, optionalText, text } from '../core/config/env';
import { parseConfig } from '../core/config/load';
import { blocklistConfigSchema } from '../core/blocklist/blocklist-config';
import { databaseConfigSchema } from '../core/db/database-config';
import { cacheConfigSchema } from '../core/links/cache/cache-config';
import { linksConfigSchema } from '../core/links/links-config';
import { loggingConfigSchema } from '../core/logging/logging-config';
import { outboxConfigSchema, relaysOutbox } from '../core/messaging/outbox-config';
import { rateLimitConfigSchema } from '../core/ratelimit/rate-limit-config';
import { visitConfigSchema } from '../core/visits/visit-config';
import { vocabularyConfigSchema } from '../core/vocabularies/vocabulary-config';
import { adminConfigSchema } from './admin/admin-config';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/**
 * `*`, or a serialised origin. `null` is what sandboxed frames and `file:` pages send; granting it would grant
 * every such page, so it is refused like any other non-origin.
 */
function isCorsOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Keys only the api reads. */
const apiOwnKeys = {
  PORT: integer('Port the HTTP server listens on (0: any free port).', { default: 8080, min: 0, max: 65_535 }),
  METRICS_PORT: integer('Port of /metrics, apart from the public port (0: any free port).', {
    default: 9464,
    min: 0,
    max: 65_535,
  }),
  BASE_URL: z
    .preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional())
    .describe('Public origin used in short and stats URLs; defaults to http://localhost:$PORT.'),
  DATABASE_READ_URL: optionalText(
    'Read replicas (e.g. a CloudNativePG `-ro` service), comma-separated; defaults to the primary.',
  ),
  DB_POOL_MAX: integer('Connections to the primary per process.', { default: 20, min: 1, max: 500 }),
  DB_READ_POOL_MAX: integer('Connections to each read replica per process.', { default: 20, min: 1, max: 500 }),
  MIGRATE_ON_START: flag(
    'Apply pending migrations at start-up (the Helm chart runs them in a hook Job instead).',
    true,
  ),
  REDIS_URL: optionalText('Redis for the L2 cache, invalidation and rate-limit state; unset: in-process only.'),
  REDIS_KEY_PREFIX: text(
    'Prefix of every Redis key and channel this release uses, so releases can share a Redis.',
    'offndat:',
  ),
  AMQP_URL: optionalText('RabbitMQ; unset: visits and events are delivered in process to the same handlers.'),
  API_KEYS: list('Accepted X-Offnd-Api-Key values, comma-separated; empty leaves the API open.'),
  CORS_ORIGINS: list(
    'Browser origins allowed by CORS, with credentials, comma-separated (scheme://host[:port]); `*` allows any origin, without credentials.',
    z.string().refine(isCorsOrigin, { error: 'not `*` or an origin such as https://example.com (never `null`)' }),
  ),
  REDIRECT_STATUS: z
    .preprocess(
      (value) => (value === '' || value === undefined ? undefined : Number(value)),
      z.literal(REDIRECT_STATUSES).default(301),
    )
    .describe('Status used for redirects: 301 lets browsers cache; 302, 303, 307 and 308 make every click reach us.'),
  REDIRECT_CACHE_CONTROL: text(
    'Cache-Control on redirects; `private, max-age=90` keeps repeat clicks visible to the stats.',
    'private, max-age=90',
  ),
  TRUST_PROXY: text(
    'Proxies whose X-Forwarded-For is believed: false (none: the peer is the client), a hop count, or addresses, CIDRs and presets.',
    'false',
  ),
  BODY_LIMIT: byteSize('Largest accepted request body (e.g. 16kb, 1mb; units of 1024 bytes).', '16kb'),
  SHUTDOWN_TIMEOUT_MS: integer('How long SIGTERM waits for in-flight requests before closing connections.', {
    default: 25_000,
    min: 0,
    max: 600_000,
  }),
};

/** Every key the api reads: its own and its features'. Names are the contract shared with the Helm chart and the tests. */
export const apiConfigSchema = z
  .object({
    ...apiOwnKeys,
    ...databaseConfigSchema.shape,
    ...loggingConfigSchema.shape,
    ...linksConfigSchema.shape,
    ...cacheConfigSchema.shape,
    ...rateLimitConfigSchema.shape,
    ...vocabularyConfigSchema.shape,
    ...visitConfigSchema.shape,
    ...outboxConfigSchema.shape,
    ...adminConfigSchema.shape,
    ...blocklistConfigSchema.shape,
  })
  // A public key that also opened the admin API would hand every web client the power to take links down.
  .refine((c) => !c.ADMIN_KEYS.some((admin) => c.API_KEYS.includes(admin.key)), {
    error: 'an admin key must not also be a public API key',
    path: ['ADMIN_KEYS'],
  })
  .refine((c) => c.ADMIN_PORT === undefined || c.ADMIN_PORT === 0 || c.ADMIN_PORT !== c.PORT, {
    error: 'must differ from PORT',
    path: ['ADMIN_PORT'],
  })
  .transform((c) => ({
    ...c,
    BASE_URL: (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    OUTBOX_RELAY_ENABLED: relaysOutbox(c.OUTBOX_RELAY_ENABLED, {
      isWorker: false,
      hasBroker: c.AMQP_URL !== undefined,
    }),
  }));

export type ApiConfig = z.output<typeof apiConfigSchema>;

/** Parses the environment once; a `ConfigError` lists every invalid key, whichever feature declares it. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseConfig(apiConfigSchema, env);
}
