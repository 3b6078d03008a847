import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createPools, type DatabasePools } from '../../core/db/pools';
import { migrate } from '../../core/db/migrate';

// Temporary stand-ins for test/support until the shared helpers exist.
function serviceEnv(name: string): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  const file = readFileSync(join(__dirname, '..', '..', '.data', 'services.env'), 'utf8');
  const line = file.split('\n').find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} unset: run scripts/services.sh up`);
  return line.slice(name.length + 1);
}

export async function createTestDatabase(): Promise<{ url: string; pools: DatabasePools; drop(): Promise<void> }> {
  const admin = new Pool({ connectionString: serviceEnv('TEST_DATABASE_URL'), max: 1 });
  const name = `worker_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serviceEnv('TEST_DATABASE_URL'));
  url.pathname = `/${name}`;
  const pools = createPools({ primaryUrl: url.toString(), primaryMax: 10, readMax: 1, applicationName: 'worker-test' });
  await migrate(pools.primary);
  return {
    url: url.toString(),
    pools,
    async drop() {
      await pools.close().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function createTestVhost(): Promise<{ url: string; drop(): Promise<void> }> {
  const management = new URL(serviceEnv('TEST_AMQP_MANAGEMENT_URL'));
  const auth = `Basic ${Buffer.from(`${management.username}:${management.password}`).toString('base64')}`;
  const vhost = `worker-${randomUUID()}`;
  const api = `${management.protocol}//${management.host}/api/vhosts/${encodeURIComponent(vhost)}`;
  const res = await fetch(api, { method: 'PUT', headers: { authorization: auth } });
  if (!res.ok) throw new Error(`vhost create failed: ${res.status}`);
  const url = new URL(serviceEnv('TEST_AMQP_URL'));
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    url: url.toString(),
    async drop() {
      await fetch(api, { method: 'DELETE', headers: { authorization: auth } });
    },
  };
}
