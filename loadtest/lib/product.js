'use strict';
// Starting the product (api, worker) and the baselines, and reading what they report: cache outcomes, the
// worker's persist lag, and whether every counted redirect became exactly one visit row.
const fs = require('node:fs');
const path = require('node:path');
const procs = require('./procs');
const prom = require('./prom');
const { sleep } = require('./k6run');

// BENCH_PRODUCT_DIR: measure another build (e.g. a worktree of an older commit, built) with this harness.
const ROOT = path.resolve(process.env.BENCH_PRODUCT_DIR || path.join(__dirname, '..', '..'));

async function waitForOk(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not OK within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The node flags the api image starts the api with (its Dockerfile's CMD), so the bench runs the api as deployed. */
function apiNodeFlags() {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stage = dockerfile.split(/^FROM /m).find((text) => /^\S+ AS api\s*$/.test(text.split('\n')[0]));
  const cmd = stage && /^CMD (\[.*\])\s*$/m.exec(stage);
  if (!cmd) throw new Error('no CMD in the api stage of the Dockerfile');
  const args = JSON.parse(cmd[1]);
  return args.slice(1, args.indexOf('dist/api/main.js'));
}

async function startWorker({ amqpUrl, dbUrl, rawDir }) {
  const profile =
    process.env.BENCH_CPU_PROF === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(rawDir, 'profiles')}`, '--cpu-prof-name=worker.cpuprofile']
      : [];
  // Held (SIGSTOP) for up to a measured run, the worker must not look dead to the broker: its default heartbeat
  // (10 s) would have RabbitMQ close the connection after two missed beats.
  const url = new URL(amqpUrl);
  url.searchParams.set('heartbeat', '60');
  const handle = await procs.start('worker', process.execPath, [...profile, path.join(ROOT, 'dist/worker/main.js')], {
    cwd: ROOT,
    env: {
      AMQP_URL: url.href,
      DATABASE_URL: dbUrl,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      QUEUE_DEPTH_INTERVAL_MS: '1000',
    },
    ready: /worker metrics and probes listening/,
    logFile: path.join(rawDir, 'worker.log'),
  });
  handle.metricsUrl = `http://127.0.0.1:${handle.port}/metrics`;
  await waitForOk(`http://127.0.0.1:${handle.port}/ready`);
  return handle;
}

/**
 * The api as deployed, on loopback, with the limiter on but the load generator allow-listed. `l1MaxEntries`
 * shrinks the in-process cache below the link set so lookups fall through to Redis (or, with `redis: false`,
 * to PostgreSQL).
 */
async function startApi({
  label,
  dbUrl,
  redisUrl,
  amqpUrl,
  apiKey,
  cpu,
  rawDir,
  redis = true,
  l1MaxEntries,
  nodeArgs = [],
}) {
  const env = {
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_URL: dbUrl,
    DATABASE_READ_URL: dbUrl,
    AMQP_URL: amqpUrl,
    REDIS_URL: redis ? redisUrl : '',
    API_KEYS: apiKey,
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_ALLOW_LIST: '127.0.0.1/32,::1/128',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
    ...(l1MaxEntries ? { CACHE_L1_MAX_ENTRIES: String(l1MaxEntries) } : {}),
  };
  // BENCH_CPU_PROF=1: a V8 CPU profile per api process (and the worker and baselines), written when it stops (see loadtest/profile-summary.js).
  const profile =
    process.env.BENCH_CPU_PROF === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(rawDir, 'profiles')}`, `--cpu-prof-name=api-${label}.cpuprofile`]
      : [];
  const handle = await procs.start(
    `api ${label}`,
    process.execPath,
    [...profile, ...apiNodeFlags(), ...nodeArgs, path.join(ROOT, 'dist/api/main.js')],
    {
      cwd: ROOT,
      env,
      cpu,
      ready: /offndat api listening/,
      logFile: path.join(rawDir, `api-${label}.log`),
    },
  );
  handle.baseUrl = `http://127.0.0.1:${handle.port}`;
  handle.metricsUrl = `http://127.0.0.1:${handle.metricsPort}/metrics`;
  await waitForOk(`${handle.baseUrl}/ready`);
  return handle;
}

async function startBaseline({ kind, label, env, cpu, rawDir }) {
  const profile =
    process.env.BENCH_CPU_PROF === '1'
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${path.join(rawDir, 'profiles')}`,
          `--cpu-prof-name=baseline-${label}.cpuprofile`,
        ]
      : [];
  const handle = await procs.start(
    `baseline ${label}`,
    process.execPath,
    [...profile, path.join(__dirname, '..', 'baselines', `${kind}-server.js`)],
    {
      cwd: ROOT,
      env: { PORT: '0', ...env },
      cpu,
      ready: /offndat api listening/,
      logFile: path.join(rawDir, `baseline-${label}.log`),
    },
  );
  handle.baseUrl = `http://127.0.0.1:${handle.port}`;
  return handle;
}

/** Share of redirect lookups answered by each tier, from the api's cache counters between two scrapes. */
function cacheOutcome(before, after) {
  const d = (level, result) => prom.delta(before, after, 'offndat_cache_requests_total', { level, result });
  const l1Hit = d('l1', 'hit') + d('l1', 'negative_hit');
  const l1Miss = d('l1', 'miss');
  const l2Hit = d('l2', 'hit') + d('l2', 'negative_hit');
  const dbHit = d('db', 'hit') + d('db', 'miss');
  const lookups = l1Hit + l1Miss;
  if (lookups === 0) return undefined;
  return {
    lookups,
    l1: l1Hit / lookups,
    l2: l2Hit / lookups,
    db: dbHit / lookups,
    hit: (l1Hit + l2Hit) / lookups,
    l2Errors: d('l2', 'error'),
  };
}

/**
 * After a run: waits for the worker to store every visit the run produced, then compares. Gives up once the
 * broker's queues are empty and the count has not moved for 5 s (a visit lost), or after `timeoutMs`.
 */
async function checkVisits({ monitor, broker, vhost, before, expected, timeoutMs = 90_000 }) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  let stored = 0;
  for (;;) {
    stored = (await monitor.visits()) - before;
    if (stored !== last) {
      last = stored;
      stableSince = Date.now();
    }
    if (stored === expected) {
      // Give a late duplicate the chance to show up before calling it exact.
      await sleep(1000);
      stored = (await monitor.visits()) - before;
      break;
    }
    const queued = await broker.messages(vhost).catch(() => 1);
    if ((queued === 0 && Date.now() - stableSince > 5000) || Date.now() > deadline) break;
    await sleep(250);
  }
  const [rows, counted] = await Promise.all([monitor.visits(), monitor.counted()]);
  return { expected, stored, ok: stored === expected, countersMatchRows: rows === counted, rows, counted };
}

/** Waits until the worker has nothing left to do, so one run's visits do not spill into the next. */
/** Waits until the worker has stored every visit and relayed the outbox, then vacuums; returns the visit count. */
async function drain({ monitor, broker, vhost, timeoutMs = 60_000 }) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const n = await monitor.visits();
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    }
    const queued = await broker.messages(vhost).catch(() => 1);
    if (queued === 0 && (await monitor.outboxPending()) === 0 && Date.now() - stableSince > 2000) {
      await monitor.settle();
      return n;
    }
    await sleep(250);
  }
  return monitor.visits();
}

module.exports = {
  startWorker,
  startApi,
  startBaseline,
  stopServer: procs.stop,
  cacheOutcome,
  checkVisits,
  drain,
  waitForOk,
  ROOT,
};
