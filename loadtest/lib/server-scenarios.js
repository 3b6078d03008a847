'use strict';
// The scenarios measured with wrk, where the question is what the server spends per request: each redirect tier
// and creation against its bare node:http baseline, and the api's memory under a long L1 load and under a flood
// of unknown phrases. Each server is started fresh on the server core, warmed up, measured, and stopped.
const path = require('node:path');
const product = require('./product');
const prom = require('./prom');
const { runWrk, memorySample } = require('./wrkrun');
const { sleep } = require('./k6run');

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** What each tier runs: the wrk script and its input, the api's settings, and the baseline it is held against. */
function serverTiers(ctx) {
  const { hotPhrases, widePhrases, hotFile, dbUrl, redisUrl, baselinePrefix } = ctx;
  return [
    {
      id: 'redirect-l1',
      title: 'redirect, L1 hit',
      script: 'redirect',
      env: { PHRASES_FILE: hotPhrases },
      api: { label: 'l1' },
      baseline: { kind: 'map', label: 'map', env: { LINKS_FILE: hotFile } },
      baselineName: 'node:http + Map',
    },
    {
      id: 'redirect-l2',
      title: 'redirect via L2 (Redis)',
      script: 'redirect',
      env: { PHRASES_FILE: widePhrases },
      api: { label: 'l2', l1MaxEntries: 1000 },
      baseline: { kind: 'redis', label: 'redis', env: { REDIS_URL: redisUrl, KEY_PREFIX: baselinePrefix } },
      baselineName: 'node:http + ioredis GET (auto-pipelined)',
    },
    {
      id: 'redirect-db',
      title: 'redirect via PostgreSQL',
      script: 'redirect',
      env: { PHRASES_FILE: widePhrases },
      api: { label: 'db', l1MaxEntries: 1000, redis: false },
      baseline: { kind: 'pg', label: 'pg', env: { DATABASE_URL: dbUrl, DB_POOL_MAX: '20' } },
      baselineName: 'node:http + pg query',
    },
    {
      id: 'create',
      title: 'create',
      script: 'create',
      env: {},
      api: { label: 'create' },
      baseline: { kind: 'create', label: 'create', env: { DATABASE_URL: dbUrl, DB_POOL_MAX: '20' } },
      baselineName: 'node:http + pg insert',
      drainFirst: true,
    },
  ];
}

function wrkOptions(ctx, server, label, overrides = {}) {
  const { cfg } = ctx;
  return {
    wrkBin: cfg.wrkBin,
    url: server.baseUrl,
    label,
    rawDir: ctx.rawDir,
    wrkCpu: ctx.generatorCpu,
    threads: cfg.wrkThreads,
    connections: cfg.wrkConnections,
    server,
    monitor: ctx.monitor,
    storePids: ctx.storePids,
    ...overrides,
  };
}

/** Cores used on average over the run, per process group. */
function cpuFields(run) {
  const perWall = (sec) => (sec === undefined ? undefined : sec / run.cpu.wallSec);
  return {
    serverCores: perWall(run.cpu.serverSec),
    generatorCores: perWall(run.cpu.generatorSec),
    workerCores: perWall(run.cpu.watchSec[0]),
    machineCores: perWall(run.cpu.machineBusySec),
    postgresCores: perWall(run.cpu.postgresSec),
    redisCores: perWall(run.cpu.storesSec.redis),
    rabbitmqCores: perWall(run.cpu.storesSec.rabbitmq),
  };
}

/** The figures every wrk row has: CPU per request first, then throughput, latency and errors. */
function wrkRow(run) {
  const r = run.result;
  const errors = r.statusErrors + r.connectErrors + r.readErrors + r.writeErrors + r.timeouts;
  return {
    requests: r.requests,
    reqPerSec: r.requests / run.runSec,
    cpuUsPerReq: run.cpu.serverSec !== undefined && r.requests > 0 ? (run.cpu.serverSec * 1e6) / r.requests : undefined,
    p50: r.latencyUs.p50 / 1000,
    p90: r.latencyUs.p90 / 1000,
    p99: r.latencyUs.p99 / 1000,
    errors,
    maxConnections: run.maxConnections,
    listenOverflows: run.listenOverflows,
    gate: run.gate,
    ...cpuFields(run),
  };
}

async function warmUp(ctx, server, tier, label) {
  await runWrk({
    ...wrkOptions(ctx, server, `warmup-${label}`),
    script: tier.script,
    env: warmEnv(ctx, tier),
    durationSec: ctx.cfg.warmupSec,
  });
}

const warmEnv = (ctx, tier) => ({ ...tier.env, API_KEY: ctx.apiKey, WRK_SEED: 7 });

async function baselineRun(ctx, tier, rep) {
  log(`${tier.id} #${rep}: baseline ${tier.baselineName}`);
  if (tier.drainFirst) await product.drain(ctx);
  const server = await product.startBaseline({
    ...tier.baseline,
    label: `${tier.baseline.label}-${rep}`,
    cpu: ctx.serverCpu,
    rawDir: ctx.rawDir,
  });
  try {
    await warmUp(ctx, server, tier, `${tier.id}-baseline-${rep}`);
    const run = await runWrk({
      ...wrkOptions(ctx, server, `${tier.id}-baseline-${rep}`),
      script: tier.script,
      env: { ...tier.env, API_KEY: ctx.apiKey, WRK_SEED: rep },
      durationSec: ctx.cfg.durationSec,
      gate: ctx.cfg.gate,
    });
    return { id: tier.id, scenario: tier.title, role: 'baseline', rep, server: tier.baselineName, ...wrkRow(run) };
  } finally {
    await product.stopServer(server);
  }
}

async function productRun(ctx, tier, rep) {
  log(`${tier.id} #${rep}: product`);
  const api = await product.startApi({
    ...tier.api,
    label: `${tier.api.label}-${rep}`,
    dbUrl: ctx.dbUrl,
    redisUrl: ctx.redisUrl,
    amqpUrl: ctx.amqpUrl,
    apiKey: ctx.apiKey,
    cpu: ctx.serverCpu,
    rawDir: ctx.rawDir,
  });
  try {
    await warmUp(ctx, api, tier, `${tier.id}-product-${rep}`);
    const visitsBefore = await product.drain(ctx);
    const [apiBefore, workerBefore] = await Promise.all([
      prom.scrape(api.metricsUrl),
      prom.scrape(ctx.worker.metricsUrl),
    ]);
    const run = await runWrk({
      ...wrkOptions(ctx, api, `${tier.id}-product-${rep}`),
      script: tier.script,
      env: { ...tier.env, API_KEY: ctx.apiKey, WRK_SEED: rep },
      durationSec: ctx.cfg.durationSec,
      watch: [ctx.worker],
      // On two cores the worker and the stores it writes to would take turns on the api's core, so the api would
      // not saturate (in production they run elsewhere). It stores the run's visits right after, before the check.
      hold: ctx.cfg.holdWorker ? [ctx.worker] : [],
      gate: ctx.cfg.gate,
    });
    const apiMid = await prom.scrape(api.metricsUrl);
    // The api's own count of 301s: wrk drops the answers still in flight when its time is up (at most one per
    // connection), and the visits check must compare with what the api served.
    const served = prom.delta(apiBefore, apiMid, 'requests_total', {
      method: 'GET',
      route: '/:phrase',
      status_code: '301',
    });
    const visits =
      tier.script === 'redirect'
        ? await product.checkVisits({ ...ctx, before: visitsBefore, expected: served })
        : undefined;
    const [apiAfter, workerAfter] = await Promise.all([
      prom.scrape(api.metricsUrl),
      prom.scrape(ctx.worker.metricsUrl),
    ]);
    return {
      id: tier.id,
      scenario: tier.title,
      role: 'product',
      rep,
      server: 'api + worker',
      ...wrkRow(run),
      served,
      generatorCounted: run.result.requests - run.result.statusErrors,
      cache: tier.script === 'redirect' ? product.cacheOutcome(apiBefore, apiAfter) : undefined,
      // A held worker stores the run's visits only afterwards: its lag then measures the hold, not the pipeline.
      persistP95: ctx.cfg.holdWorker
        ? undefined
        : prom.histogramQuantile(workerBefore, workerAfter, 'offndat_visit_persist_lag_seconds', 0.95),
      visits,
    };
  } finally {
    await product.stopServer(api);
  }
}

/**
 * Every tier, product and baseline back to back, `repeats` times, the order alternating (product first, then
 * baseline first) so drift in background load hits both sides alike.
 */
async function runServerTiers(ctx, wanted, interrupted) {
  const rows = [];
  for (const tier of serverTiers(ctx).filter((t) => wanted(t.id))) {
    for (let rep = 1; rep <= ctx.cfg.repeats; rep += 1) {
      const order = rep % 2 === 1 ? ['product', 'baseline'] : ['baseline', 'product'];
      for (const side of order) {
        if (interrupted()) return rows;
        rows.push(side === 'product' ? await productRun(ctx, tier, rep) : await baselineRun(ctx, tier, rep));
      }
    }
  }
  return rows;
}

/**
 * The api's memory under load: `memory-l1` redirects from L1 for `soakSec` and samples RSS and heap every 10 s;
 * `memory-unknown` sends a phrase nobody created on every request, so each lookup misses every cache and ends
 * as a negative entry, for `floodSec`. Both must level off: the caches are bounded by their configured sizes.
 */
async function memoryRun(ctx, { id, title, script, env, durationSec, allowance }) {
  log(`${id}: ${durationSec} s`);
  const api = await product.startApi({
    label: id,
    dbUrl: ctx.dbUrl,
    redisUrl: ctx.redisUrl,
    amqpUrl: ctx.amqpUrl,
    apiKey: ctx.apiKey,
    cpu: ctx.serverCpu,
    rawDir: ctx.rawDir,
    nodeArgs: ['--expose-gc', '-r', path.join(__dirname, 'gc-on-signal.js')],
  });
  try {
    await warmUp(ctx, api, { script: 'redirect', env: { PHRASES_FILE: ctx.hotPhrases } }, id);
    const visitsBefore = await product.drain(ctx);
    const settledBefore = await settledMemory(api, ctx.cfg.settleSec);
    const apiBefore = await prom.scrape(api.metricsUrl);
    const run = await runWrk({
      ...wrkOptions(ctx, api, id),
      script,
      env: { ...env, WRK_SEED: 3 },
      durationSec,
      watch: [ctx.worker],
      gate: ctx.cfg.gate,
      memory: { metricsUrl: api.metricsUrl, intervalMs: Math.max(1000, Math.round((durationSec * 1000) / 30)) },
    });
    const apiAfter = await prom.scrape(api.metricsUrl);
    const served = prom.delta(apiBefore, apiAfter, 'requests_total', {
      method: 'GET',
      route: '/:phrase',
      status_code: '301',
    });
    const visits =
      served > 0 ? await product.checkVisits({ ...ctx, before: visitsBefore, expected: served }) : undefined;
    const settledAfter = await settledMemory(api, ctx.cfg.settleSec);
    return {
      id,
      scenario: title,
      role: 'product',
      server: 'api + worker',
      ...wrkRow(run),
      durationSec,
      memory: { ...summariseMemory(run.memory), before: settledBefore, after: settledAfter, allowance },
      cache: product.cacheOutcome(apiBefore, apiAfter),
      visits,
    };
  } finally {
    await product.stopServer(api);
  }
}

/**
 * The heap the api holds once idle: after `settleSec` of quiet (timers and lookups in flight finish), full
 * collections on request (gc-on-signal.js), so garbage not yet collected does not pass for growth.
 */
async function settledMemory(api, settleSec) {
  await sleep(settleSec * 1000);
  let lowest;
  for (let i = 0; i < 3; i += 1) {
    process.kill(api.pid, 'SIGUSR2');
    await sleep(1000);
    const sample = await memorySample(api.pid, api.metricsUrl, settleSec + i);
    if (!lowest || (Number.isFinite(sample.heapUsed) && sample.heapUsed < lowest.heapUsed)) lowest = sample;
  }
  return lowest;
}

/**
 * Start, middle and end of the samples, each the lowest of its neighbourhood (a fifth of the run): the heap in use
 * swings with every collection, and its floor is what a leak would raise.
 */
function summariseMemory(samples) {
  const window = Math.max(1, Math.floor(samples.length / 5));
  const floor = (from, key) => {
    const values = samples
      .slice(from, from + window)
      .map((s) => s[key])
      .filter((v) => Number.isFinite(v));
    return values.length ? Math.min(...values) : undefined;
  };
  const at = (from) => ({
    rss: floor(from, 'rss'),
    heapUsed: floor(from, 'heapUsed'),
    heapTotal: floor(from, 'heapTotal'),
  });
  const mid = Math.max(0, Math.floor(samples.length / 2) - Math.floor(window / 2));
  return { samples, start: at(0), middle: at(mid), end: at(Math.max(0, samples.length - window)) };
}

module.exports = { runServerTiers, memoryRun, summariseMemory, serverTiers };
