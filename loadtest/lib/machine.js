'use strict';
// What the results were measured on, for the report's "machine and method" note.
const fs = require('node:fs');
const os = require('node:os');
const { spawnSync } = require('node:child_process');
const { Client } = require('pg');

async function describeMachine({ dbUrl, redis, managementUrl, k6Bin }) {
  const cpuModel = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  const k6 = spawnSync(k6Bin, ['version']).stdout?.toString().trim().split('\n')[0];
  let postgres;
  let postgresSettings = 'settings unknown';
  try {
    const client = new Client({ connectionString: dbUrl });
    await client.connect();
    postgres = (await client.query('SHOW server_version')).rows[0].server_version;
    const settings = await client.query(
      "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections') ORDER BY name",
    );
    postgresSettings = settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ');
    await client.end();
  } catch {
    postgres = 'unknown';
  }
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server').catch(() => ''))?.[1];
  let rabbitmq;
  try {
    const base = new URL(managementUrl);
    const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
      'base64',
    );
    rabbitmq = (
      await (await fetch(new URL('/api/overview', base.origin), { headers: { authorization: `Basic ${auth}` } })).json()
    ).rabbitmq_version;
  } catch {
    rabbitmq = 'unknown';
  }
  return {
    cpu: `${os.cpus().length} × ${cpuModel}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    k6,
    postgres,
    postgresSettings,
    redis: redisVersion,
    rabbitmq,
  };
}

module.exports = { describeMachine };
