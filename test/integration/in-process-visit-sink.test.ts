import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { insertLink } from '../../core/links/pg-link-repository';
import { createInProcessVisitSink } from '../../core/visits/in-process-visit-sink';
import { handleVisitBatch } from '../../core/visits/handle-visit-batch';
import type { LinkVisited } from '../../core/visits/visit';
import { createTestDatabase, type TestDatabase } from '../support/database';

const logger = pino({ level: 'silent' });

describe('in-process visit sink', () => {
  let database: TestDatabase;
  let linkId: string;

  beforeEach(async () => {
    database = await createTestDatabase();
    linkId = randomUUID();
    await insertLink(database.pools.primary, {
      id: linkId,
      phrase: `p-${linkId}`,
      targetUrl: 'https://example.org/',
      languageId: 0,
      themeId: 1,
      createdAt: new Date(),
    });
  });

  afterEach(async () => {
    await database.drop();
  });

  const visit = (isBot = false): LinkVisited => ({
    visitId: randomUUID(),
    linkId,
    languageId: 0,
    themeId: 1,
    visitedAt: new Date().toISOString(),
    ipAddress: '203.0.113.0',
    userAgent: 'jest',
    referrer: null,
    isBot,
  });

  async function counters(): Promise<{ visits: number; total: number; bots: number }> {
    const { rows } = await database.pools.primary.query<{ visits: number; total: number; bots: number }>(
      `SELECT (SELECT count(*)::int FROM visits) AS visits, total_visits::int AS total, bot_visits::int AS bots
         FROM link_visit_counters WHERE link_id = $1`,
      [linkId],
    );
    return rows[0] ?? { visits: 0, total: 0, bots: 0 };
  }

  it('records every emitted visit through the shared handler by the time close() resolves', async () => {
    const sink = createInProcessVisitSink({
      handle: (visits) => handleVisitBatch({ pool: database.pools.primary }, visits),
      logger,
      maxBuffer: 10_000,
      batchSize: 40,
      flushIntervalMs: 60_000,
    });

    for (let i = 0; i < 100; i += 1) sink.emit(visit(i % 10 === 0));
    await sink.close();

    expect(await counters()).toEqual({ visits: 100, total: 90, bots: 10 });
  });

  it('retries a batch the handler failed, without counting it twice', async () => {
    let calls = 0;
    const sink = createInProcessVisitSink({
      handle: async (visits) => {
        calls += 1;
        await handleVisitBatch({ pool: database.pools.primary }, visits);
        // Fails after committing, like a connection lost before the reply: the retry must not double count.
        if (calls === 1) throw new Error('connection terminated');
      },
      logger,
      maxBuffer: 10_000,
      batchSize: 25,
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
    });

    for (let i = 0; i < 25; i += 1) sink.emit(visit());
    await sink.flush();
    await sink.close();

    expect(calls).toBe(2);
    expect(await counters()).toEqual({ visits: 25, total: 25, bots: 0 });
  });
});
