import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { pruneOutbox } from '../../core/messaging/outbox-retention';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function insertRow(publishedAgo: string | null): Promise<void> {
  await db.pools.primary.query(
    `INSERT INTO outbox (message_id, event_type, payload, published_at)
     VALUES ($1, 'LinkCreated', '{}', CASE WHEN $2::interval IS NULL THEN NULL ELSE now() - $2::interval END)`,
    [randomUUID(), publishedAgo],
  );
}

describe('pruneOutbox', () => {
  it('deletes only published rows older than the retention, in batches', async () => {
    for (let i = 0; i < 7; i++) await insertRow('3 days');
    await insertRow('1 hour');
    await insertRow(null);

    const deleted = await pruneOutbox(db.pools.primary, 24 * 3600 * 1000, 3);

    expect(deleted).toBe(7);
    const { rows } = await db.pools.primary.query<{ pending: number; recent: number }>(
      `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS pending, count(*) FILTER (WHERE published_at IS NOT NULL)::int AS recent FROM outbox`,
    );
    expect(rows[0]).toEqual({ pending: 1, recent: 1 });
  });
});
