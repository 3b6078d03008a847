import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { migrate } from '../../core/db/migrate';
import { createPools, type DatabasePools } from '../../core/db/pools';

/** Stand-in for the shared test/support helpers with the same shape; swapped out once they exist. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/services.sh up (jest loads .data/services.env)`);
  return value;
}

export interface TestDatabase {
  readonly url: string;
  readonly pools: DatabasePools;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = required('TEST_DATABASE_URL');
  const name = `offndat_cache_${randomUUID().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pools = createPools({ primaryUrl: url.href, primaryMax: 4, readMax: 4, applicationName: 'cache-test' });
  await migrate(pools.primary);
  return {
    url: url.href,
    pools,
    async drop() {
      await pools.close();
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestRedis {
  readonly keyPrefix: string;
  /** A fresh connection to the test Redis; closed by `close()`. */
  connect(): Redis;
  close(): Promise<void>;
}

export function createTestRedis(): TestRedis {
  const url = required('TEST_REDIS_URL');
  const keyPrefix = `offndat-test:${randomUUID()}:`;
  const clients: Redis[] = [];
  return {
    keyPrefix,
    connect() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    async close() {
      const cleaner = clients[0];
      if (cleaner && cleaner.status === 'ready') {
        const keys = await cleaner.keys(`${keyPrefix}*`);
        if (keys.length > 0) await cleaner.del(...keys);
      }
      clients.forEach((client) => client.disconnect());
    },
  };
}
