import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrate } from '../../core/db/migrate';

/** A fresh, migrated database on the shared test server; dropped by `drop()`. */
export async function createTestDatabase(): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL not set');
  const name = `offndat_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 5 });
  // DROP ... WITH (FORCE) may terminate a client that pool.end() is still closing.
  pool.on('error', () => undefined);
  await migrate(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
