'use strict';
// The run's own corner of the shared test services: a fresh database, a RabbitMQ vhost, a Redis logical
// database with prefixed keys. Everything is removed again at the end unless BENCH_KEEP=1.
const { randomUUID } = require('node:crypto');
const { Client } = require('pg');
const { Redis } = require('ioredis');

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}

async function withClient(url, work) {
  const client = new Client({ connectionString: url, application_name: 'offndat-bench-runner' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return withDatabase(adminUrl, name);
}

async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Deterministic word-like phrases (`bench-xxxx-xxxx-<n>`) and ~90-byte URLs, as baselines.md used. */
function makeLinks(count, tag) {
  let seed = 123456789 + tag.length;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const word = (n) => Array.from({ length: n }, () => ALPHABET[Math.floor(random() * 26)]).join('');
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    phrase: `${word(6)}-${word(7)}-${tag}${i}`,
    targetUrl: `https://example.com/articles/${i}/some-long-article-slug-${word(7)}?utm_source=bench`,
  }));
}

/** Inserts links straight into the product's table, 5,000 rows per statement. */
async function insertLinks(dbUrl, links) {
  await withClient(dbUrl, async (c) => {
    for (let i = 0; i < links.length; i += 5000) {
      const chunk = links.slice(i, i + 5000);
      await c.query(
        `INSERT INTO links (id, phrase, target_url, language_id, theme_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::smallint[])`,
        [
          chunk.map((l) => l.id),
          chunk.map((l) => l.phrase),
          chunk.map((l) => l.targetUrl),
          chunk.map(() => 0),
          chunk.map(() => 0),
        ],
      );
    }
    await c.query('ANALYZE links');
  });
}

/** A long-lived connection for the checks and the connection sampler. */
async function openMonitor(dbUrl, dbName) {
  const client = new Client({ connectionString: dbUrl, application_name: 'offndat-bench-monitor' });
  client.on('error', () => undefined);
  await client.connect();
  const one = async (sql, params) => Number((await client.query(sql, params)).rows[0].n);
  return {
    visits: () => one('SELECT count(*) AS n FROM visits'),
    counted: () => one('SELECT coalesce(sum(total_visits + bot_visits), 0) AS n FROM link_visit_counters'),
    links: () => one('SELECT count(*) AS n FROM links'),
    outboxPending: () => one('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL'),
    /**
     * Tens of thousands of creations leave the tables due for autovacuum, which then starts during the next
     * run and takes a share of the two cores from it; vacuuming between runs keeps that out of the numbers.
     */
    settle: () => client.query('VACUUM (ANALYZE)'),
    /** Backend PIDs connected to the run's database, this one excluded (their number is the connection count). */
    backends: async () =>
      (
        await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])
      ).rows.map((r) => r.pid),
    connections: async () =>
      (
        await client.query(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [dbName],
        )
      ).rows[0].n * 1,
    close: () => client.end(),
  };
}

function redisClient(url) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

async function deleteKeys(redis, pattern) {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

function managementClient(managementUrl) {
  const base = new URL(managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
    'base64',
  );
  const call = async (path, method = 'GET', body) => {
    const response = await fetch(new URL(path, base.origin), {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`RabbitMQ management ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return response;
  };
  return {
    async createVhost(amqpUrl, vhost) {
      await call(`/api/vhosts/${encodeURIComponent(vhost)}`, 'PUT');
      const u = new URL(amqpUrl);
      await call(
        `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(decodeURIComponent(u.username))}`,
        'PUT',
        {
          configure: '.*',
          write: '.*',
          read: '.*',
        },
      );
      u.pathname = `/${encodeURIComponent(vhost)}`;
      return u.href;
    },
    deleteVhost: (vhost) => call(`/api/vhosts/${encodeURIComponent(vhost)}`, 'DELETE'),
    /** Ready + unacked messages of every queue in the vhost (the management API refreshes about every second). */
    async messages(vhost) {
      const response = await call(`/api/queues/${encodeURIComponent(vhost)}?columns=name,messages`);
      const queues = await response.json();
      return queues.reduce((total, q) => total + (q.messages ?? 0), 0);
    },
  };
}

module.exports = {
  createDatabase,
  dropDatabase,
  makeLinks,
  insertLinks,
  openMonitor,
  redisClient,
  deleteKeys,
  managementClient,
  withDatabase,
};
