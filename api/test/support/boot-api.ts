import { join } from 'node:path';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { createTestRedis, type TestRedis } from '../../../test/support/redis';
import { loadApiConfig } from '../../config';
import type { ApiDeps } from '../../deps';
import { startApiService } from '../../service';

export interface BootedApi {
  readonly baseUrl: string;
  /** The admin API's own port, when ADMIN_PORT gives it one. */
  readonly adminPort?: number | undefined;
  /** Where `/metrics` is served (METRICS_PORT, apart from the public port). */
  readonly metricsUrl: string;
  readonly db: TestDatabase;
  readonly redis: TestRedis;
  /** What the service handed `buildApp()`: its pools, readiness checks, lifecycle. */
  readonly deps: ApiDeps;
  /** Waits until every visit emitted so far is persisted. */
  flushVisits(): Promise<void>;
  close(): Promise<void>;
}

export interface BootOptions {
  /** Environment on top of the harness's; the config is parsed by the api's own schema. */
  readonly env?: Record<string, string>;
  /** Deterministic phrase draws. */
  readonly random?: () => number;
  /** Another boot's database, for replicas of one deployment (closed by whoever created it). */
  readonly db?: TestDatabase;
  /** Another boot's Redis namespace, likewise. */
  readonly redis?: TestRedis;
}

export const TEST_API_KEY = 'test-api-key';

/**
 * The api exactly as `api/main.ts` starts it (`startApiService`), on port 0, against a fresh migrated database and
 * a Redis namespace of its own; visits are delivered in process (no `AMQP_URL`), so tests can wait for them.
 */
export async function bootApi(options: BootOptions = {}): Promise<BootedApi> {
  const db = options.db ?? (await createTestDatabase());
  const redis = options.redis ?? createTestRedis();
  const config = loadApiConfig({
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_URL: db.url,
    DB_POOL_MAX: '5',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    MIGRATE_ON_START: 'false',
    API_KEYS: TEST_API_KEY,
    CORS_ORIGINS: 'http://localhost:3000',
    SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const service = await startApiService(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    host: '127.0.0.1',
    ...(options.random ? { random: options.random } : {}),
  });
  return {
    baseUrl: `http://127.0.0.1:${service.port}`,
    adminPort: service.adminPort,
    metricsUrl: `http://127.0.0.1:${service.metricsPort}/metrics`,
    db,
    redis,
    deps: service.deps,
    flushVisits: () => service.visits.flush(),
    async close() {
      await service.stop();
      if (!options.redis) await redis.close();
      if (!options.db) await db.drop();
    },
  };
}

/** mulberry32: a tiny seeded generator, so phrase draws in tests repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fixturesDir = join(__dirname, '..', 'fixtures');

export function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'x-offnd-api-key': TEST_API_KEY, ...extra };
}

export async function createLink(
  baseUrl: string,
  body: Record<string, unknown> = {},
): Promise<{ url: string; statsUrl: string; phrase: string }> {
  const response = await fetch(`${baseUrl}/v1/links`, {
    method: 'POST',
    headers: jsonHeaders(),
    body: JSON.stringify({ targetUrl: 'http://localhost', languageId: 0, themeId: 0, formatId: 0, ...body }),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { url: string; statsUrl: string };
  return { ...created, phrase: decodeURIComponent(new URL(created.url).pathname.slice(1)) };
}
