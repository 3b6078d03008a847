import { join } from 'node:path';
import pino from 'pino';
import { cacheSettings } from '../../../core/links/cache/cache-config';
import { createLinkResolver } from '../../../core/links/resolve-link';
import { createInProcessVisitSink } from '../../../core/visits/in-process-visit-sink';
import { createMetrics } from '../../../core/metrics/metrics';
import { createPhraseGenerator } from '../../../core/phrases';
import { createVocabularyRepository, createVocabularySource } from '../../../core/vocabularies';
import { handleVisitBatch } from '../../../core/visits/handle-visit-batch';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { startHttpServer, type TestHttpServer } from '../../../test/support/http';
import { buildApp } from '../../app';
import { loadApiConfig } from '../../config';
import type { ApiDeps } from '../../deps';

export interface BootedApi {
  readonly baseUrl: string;
  readonly db: TestDatabase;
  readonly deps: ApiDeps;
  /** Waits until every visit emitted so far is persisted. */
  flushVisits(): Promise<void>;
  close(): Promise<void>;
}

export interface BootOptions {
  readonly env?: Record<string, string>;
  readonly deps?: Partial<ApiDeps>;
  /** Deterministic phrase draws. */
  readonly random?: () => number;
  readonly vocabularySource?: string;
}

export const TEST_API_KEY = 'test-api-key';

/** `buildApp()` on port 0 against a fresh, migrated PostgreSQL database, with in-process visit delivery. */
export async function bootApi(options: BootOptions = {}): Promise<BootedApi> {
  const db = await createTestDatabase();
  const config = loadApiConfig({ API_KEYS: TEST_API_KEY, CORS_ORIGINS: 'http://localhost:3000', ...options.env });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ service: 'api', defaultMetrics: false });
  const vocabularies = createVocabularyRepository({ source: createVocabularySource(options.vocabularySource ?? 'bundled'), ttlMs: config.VOCABULARY_TTL_SEC * 1000, negativeTtlMs: config.VOCABULARY_NEGATIVE_TTL_SEC * 1000 });
  const links = createLinkResolver({ pools: db.pools, metrics, logger, cache: cacheSettings(config), keyPrefix: config.REDIS_KEY_PREFIX });
  const visits = createInProcessVisitSink({ handle: (batch) => handleVisitBatch({ pool: db.pools.primary, metrics }, batch), logger, metrics, flushIntervalMs: 5, maxBuffer: config.VISIT_BUFFER_MAX });
  const deps: ApiDeps = {
    config,
    logger,
    metrics,
    pools: db.pools,
    links,
    visits,
    phrases: createPhraseGenerator({ vocabularies, ...(options.random ? { random: options.random } : {}) }),
    readiness: [{ name: 'postgres', critical: true, check: async () => void (await db.pools.primary.query('SELECT 1')) }],
    lifecycle: { shuttingDown: false },
    ...options.deps,
  };
  const server: TestHttpServer = await startHttpServer(buildApp(deps));
  return {
    baseUrl: server.baseUrl,
    db,
    deps,
    flushVisits: () => visits.flush(),
    async close() {
      await server.close();
      await visits.close();
      await links.close();
      await db.drop();
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

export async function createLink(baseUrl: string, body: Record<string, unknown> = {}): Promise<{ url: string; statsUrl: string; phrase: string }> {
  const response = await fetch(`${baseUrl}/v1/links`, {
    method: 'POST',
    headers: jsonHeaders(),
    body: JSON.stringify({ targetUrl: 'http://localhost', languageId: 0, themeId: 0, formatId: 0, ...body }),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { url: string; statsUrl: string };
  return { ...created, phrase: decodeURIComponent(new URL(created.url).pathname.slice(1)) };
}
