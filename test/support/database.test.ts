import { Client } from 'pg';
import { createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './database';

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('creates a migrated database with the schema tables', async () => {
    const { rows } = await first.pools.primary.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );

    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['links', 'outbox', 'schema_migrations', 'visits']),
    );
  });

  it('gives each caller its own database', async () => {
    await first.pools.primary.query('CREATE TABLE only_in_first (id int)');

    const { rows } = await second.pools.primary.query("SELECT to_regclass('only_in_first') AS found");

    expect(first.name).not.toBe(second.name);
    expect(rows[0]).toEqual({ found: null });
  });

  it('drops the database even while a connection to it is open', async () => {
    const extra = await createTestDatabase({ migrate: false });
    const client = new Client({ connectionString: extra.url });
    client.on('error', () => undefined);
    await client.connect();

    await extra.drop();

    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [extra.name]);
    await admin.end();
    await client.end().catch(() => undefined);
    expect(rowCount).toBe(0);
  });
});

describe('dropStaleTestDatabases', () => {
  it('removes test databases created hours ago and keeps fresh ones', async () => {
    const sevenHoursAgo = Math.floor(Date.now() / 1000 - 7 * 3600).toString(36);
    const old = `offndat_t_${sevenHoursAgo}_leftover${process.pid}`;
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${old} TEMPLATE template0`);
    await admin.end();
    const fresh = await createTestDatabase({ migrate: false });

    const dropped = await dropStaleTestDatabases();

    expect(dropped).toContain(old);
    expect(dropped).not.toContain(fresh.name);
    await fresh.drop();
  });
});
