import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../core/db/migrate';
import { createPools, type DatabasePools } from '../../core/db/pools';
import { serviceEnv } from './services-env';

export interface TestDatabase {
  /** Connection URL of the new database (same server and superuser as TEST_DATABASE_URL). */
  readonly url: string;
  readonly name: string;
  readonly pools: DatabasePools;
  /** Closes the pools and drops the database, ending any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply migrations/*.sql (default true). */
  readonly migrate?: boolean;
  /** Size of the primary pool (default 5). */
  readonly poolMax?: number;
}

/** Names carry their creation time so the global setup can sweep databases left by crashed runs. */
const NAME_PREFIX = 'offndat_t_';
const STALE_AFTER_SECONDS = 6 * 3600;

function newDatabaseName(): string {
  return `${NAME_PREFIX}${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(6).toString('hex')}`;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({
    connectionString: serviceEnv('TEST_DATABASE_URL'),
    application_name: 'offndat-test-admin',
  });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database on the shared test server, migrated, with pools; every test file gets its own. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = newDatabaseName();
  // template0 is never connected to, so concurrent CREATE DATABASE calls from parallel test files cannot clash.
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
  const url = new URL(serviceEnv('TEST_DATABASE_URL'));
  url.pathname = `/${name}`;
  const max = options.poolMax ?? 5;
  const pools = createPools({ primaryUrl: url.href, primaryMax: max, readMax: max, applicationName: 'offndat-test' });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await pools.close().catch(() => undefined);
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  try {
    if (options.migrate ?? true) await migrate(pools.primary);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url: url.href, name, pools, drop };
}

/** Drops test databases older than a few hours (left behind by runs that were killed); returns their names. */
export async function dropStaleTestDatabases(nowMs = Date.now()): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${NAME_PREFIX}%`,
    ]);
    const stale = rows
      .map((row) => row.datname)
      .filter((name) => {
        const created = parseInt(name.slice(NAME_PREFIX.length).split('_')[0] ?? '', 36);
        return Number.isFinite(created) && nowMs / 1000 - created > STALE_AFTER_SECONDS;
      });
    for (const name of stale) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    return stale;
  });
}
