import { createTestDatabase, type TestDatabase } from '../support/database';
import { createPools, type DatabasePools } from '../../core/db/pools';

let primary: TestDatabase;
let replicaA: TestDatabase;
let replicaB: TestDatabase;
let pools: DatabasePools | undefined;

beforeAll(async () => {
  [primary, replicaA, replicaB] = await Promise.all([
    createTestDatabase({ migrate: false }),
    createTestDatabase({ migrate: false }),
    createTestDatabase({ migrate: false }),
  ]);
});
afterAll(async () => {
  await pools?.close();
  await Promise.all([primary, replicaA, replicaB].map((db) => db.drop()));
});

async function databaseOf(pool: DatabasePools['read']): Promise<string> {
  const { rows } = await pool.query<{ db: string }>('SELECT current_database() AS db');
  return rows[0]!.db;
}

describe('createPools', () => {
  it('reads from the primary when no replica is configured', async () => {
    pools = createPools({ primaryUrl: primary.url, primaryMax: 2, readMax: 2, applicationName: 'test' });

    expect(pools.read).toBe(pools.primary);
    expect(await databaseOf(pools.read)).toBe(primary.name);
    await pools.close();
    pools = undefined;
  });

  it('spreads reads over every replica in a comma-separated list, and writes to the primary', async () => {
    pools = createPools({
      primaryUrl: primary.url,
      readUrl: `${replicaA.url}, ${replicaB.url}`,
      primaryMax: 2,
      readMax: 2,
      applicationName: 'test',
    });

    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await databaseOf(pools.read));

    expect(new Set(seen)).toEqual(new Set([replicaA.name, replicaB.name]));
    expect(seen.filter((name) => name === replicaA.name)).toHaveLength(2);
    expect(await databaseOf(pools.primary)).toBe(primary.name);
    expect(pools.read.totalCount).toBeGreaterThanOrEqual(2);
  });
});

describe('a server that ends connections (restart, failover, pg_terminate_backend)', () => {
  it('does not crash the process when it ends a checked-out client, and the pool carries on', async () => {
    pools = createPools({ primaryUrl: primary.url, primaryMax: 2, readMax: 2, applicationName: 'test-terminated' });
    const client = await pools.primary.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));

    // Without a listener of its own, the checked-out client's 'error' would be thrown out of the socket handler.
    await primary.pools.primary.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await ended;
    const failed = await client.query('SELECT 1').then(
      () => false,
      () => true,
    );
    client.release(true);

    expect(failed).toBe(true);
    expect(await databaseOf(pools.primary)).toBe(primary.name);
    await pools.close();
    pools = undefined;
  });
});
