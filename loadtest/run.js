#!/usr/bin/env node
'use strict';
// `make bench`: runs every k6 scenario against api + worker (PostgreSQL, Redis, RabbitMQ from
// scripts/services.sh), the same redirect scenario against the node:http baselines, measures the worker, checks
// that every counted redirect became exactly one visit row, and writes loadtest/results/<date>.md (+ latest.md).
// Invoked by scripts/bench.sh, which builds k6 and the product first. Settings: see loadtest/README.md.
const fs = require('node:fs');
const path = require('node:path');
const procs = require('./lib/procs');
const prom = require('./lib/prom');
const stores = require('./lib/stores');
const { runK6 } = require('./lib/k6run');
const { runServerTiers, memoryRun } = require('./lib/server-scenarios');
const product = require('./lib/product');

const drainQuiet = product.drain;
const { renderReport } = require('./lib/report');
const { describeMachine } = require('./lib/machine');
const { runWorkerThroughput } = require('./lib/worker-throughput');
const { stressSteps } = require('./lib/stress');

const ROOT = product.ROOT;
const REPO = path.resolve(__dirname, '..');
const env = process.env;
const seconds = (text) => Number(String(text).replace(/s$/, ''));
const cfg = {
  k6Bin: env.K6_BIN,
  wrkBin: env.WRK_BIN || 'wrk',
  wrkThreads: Number(env.BENCH_WRK_THREADS || 1),
  wrkConnections: Number(env.BENCH_WRK_CONNECTIONS || 64),
  duration: env.BENCH_DURATION || '15s',
  durationSec: seconds(env.BENCH_DURATION || '15s'),
  warmup: env.BENCH_WARMUP || '3s',
  warmupSec: seconds(env.BENCH_WARMUP || '3s'),
  soakSec: Number(env.BENCH_SOAK_SEC || 300),
  floodSec: Number(env.BENCH_FLOOD_SEC || 60),
  settleSec: Number(env.BENCH_SETTLE_SEC || 5),
  repeats: Number(env.BENCH_REPEATS || 2),
  redirectVus: Number(env.BENCH_REDIRECT_VUS || 1000),
  createVus: Number(env.BENCH_CREATE_VUS || 100),
  createRate: Number(env.BENCH_CREATE_RATE || 500),
  mixedVus: Number(env.BENCH_MIXED_VUS || 200),
  hotLinks: Number(env.BENCH_HOT_LINKS || 1000),
  wideLinks: Number(env.BENCH_WIDE_LINKS || 50000),
  workerVisits: Number(env.BENCH_WORKER_VISITS || 200000),
  redirectSteps: env.BENCH_STRESS_REDIRECT_STEPS || '2000,4000,6000,8000,10000,12000,14000,16000',
  createSteps: env.BENCH_STRESS_CREATE_STEPS || '250,500,1000,1500,2000,2500',
  stepSec: Number(env.BENCH_STRESS_STEP_SEC || 4),
  breakP95Ms: Number(env.BENCH_BREAK_P95_MS || 50),
  pin: env.BENCH_PIN !== '0' && procs.hasTaskset,
  holdWorker: env.BENCH_HOLD_WORKER !== '0',
  gate: { maxCores: Number(env.BENCH_IDLE_CORES || 0.5), maxWaitSec: Number(env.BENCH_IDLE_WAIT_SEC || 30) },
  redisDb: Number(env.BENCH_REDIS_DB || 12),
  only: env.BENCH_SCENARIOS ? new Set(env.BENCH_SCENARIOS.split(',').map((s) => s.trim())) : undefined,
  keep: env.BENCH_KEEP === '1',
  resultsDir: env.BENCH_RESULTS_DIR || path.join(__dirname, 'results'),
};
const API_KEY = 'bench-key';
const SERVER_CPU = cfg.pin ? 1 : undefined;
const K6_CPU = cfg.pin ? 0 : undefined;
const wanted = (name) => !cfg.only || cfg.only.has(name);

function readServicesEnv() {
  const file = path.join(REPO, '.data/services.env');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/services.sh up first`);
  const values = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return values;
}

/** The 1, 5 and 15 minute load averages, as the report quotes them. */
const loadAverage = () =>
  require('node:os')
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const k6script = (name) => path.join(__dirname, 'k6', `${name}.js`);
const trend = (run, name = 'http_req_duration') => run.values(name) ?? {};
const count = (run, name) => run.values(name)?.count ?? 0;

async function main() {
  if (!cfg.k6Bin) throw new Error('K6_BIN is not set (scripts/bench.sh builds k6 and sets it)');
  const services = readServicesEnv();
  const startedAt = new Date();
  const loadStart = loadAverage();
  const runId = `${startedAt.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}_${Math.random().toString(36).slice(2, 6)}`;
  const rawDir = path.join(cfg.resultsDir, 'raw', runId);
  fs.mkdirSync(rawDir, { recursive: true });
  log(`run ${runId}; raw output in ${path.relative(REPO, rawDir)}`);

  const dbName = `offndat_bench_${runId}`;
  const vhost = `offndat-bench-${runId}`;
  const broker = stores.managementClient(services.TEST_AMQP_MANAGEMENT_URL);
  const redisUrl = `${services.TEST_REDIS_URL.replace(/\/\d*$/, '')}/${cfg.redisDb}`;
  const redis = stores.redisClient(redisUrl);
  const state = { dbCreated: false, vhostCreated: false, monitor: undefined };

  const cleanup = async () => {
    await procs.stopAll();
    await state.monitor?.close().catch(() => undefined);
    if (cfg.keep) {
      log(`kept database ${dbName}, vhost ${vhost}, Redis db ${cfg.redisDb}`);
    } else {
      if (state.dbCreated)
        await stores.dropDatabase(services.TEST_DATABASE_URL, dbName).catch((e) => log(`drop database: ${e.message}`));
      if (state.vhostCreated) await broker.deleteVhost(vhost).catch((e) => log(`delete vhost: ${e.message}`));
      await stores.deleteKeys(redis, 'offndat:*').catch(() => undefined);
      await stores.deleteKeys(redis, 'offndat-bench:*').catch(() => undefined);
    }
    redis.disconnect();
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping everything this run started`);
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // --- stores ---------------------------------------------------------------------------------------------
    const dbUrl = await stores.createDatabase(services.TEST_DATABASE_URL, dbName);
    state.dbCreated = true;
    const migrated = await procs.run('migrate', process.execPath, [path.join(ROOT, 'dist/core/db/migrate-cli.js')], {
      cwd: ROOT,
      env: { DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
      logFile: path.join(rawDir, 'migrate.log'),
    });
    if (migrated !== 0) throw new Error(`migration failed (${migrated}); see ${rawDir}/migrate.log`);
    const amqpUrl = await broker.createVhost(services.TEST_AMQP_URL, vhost);
    state.vhostCreated = true;
    await stores.deleteKeys(redis, 'offndat:*');
    await stores.deleteKeys(redis, 'offndat-bench:*');

    const hot = stores.makeLinks(cfg.hotLinks, 'h');
    const wide = stores.makeLinks(cfg.wideLinks, 'w');
    await stores.insertLinks(dbUrl, [...hot, ...wide]);
    const hotFile = path.join(rawDir, 'links-hot.json');
    const wideFile = path.join(rawDir, 'links-wide.json');
    fs.writeFileSync(hotFile, JSON.stringify(hot.map(({ phrase, targetUrl }) => ({ phrase, targetUrl }))));
    fs.writeFileSync(wideFile, JSON.stringify(wide.map(({ phrase, targetUrl }) => ({ phrase, targetUrl }))));
    // wrk's Lua reads plain lines.
    const hotPhrases = path.join(rawDir, 'phrases-hot.txt');
    const widePhrases = path.join(rawDir, 'phrases-wide.txt');
    fs.writeFileSync(hotPhrases, `${hot.map((l) => l.phrase).join('\n')}\n`);
    fs.writeFileSync(widePhrases, `${wide.map((l) => l.phrase).join('\n')}\n`);
    await seedRedis(redis, wide);
    state.monitor = await stores.openMonitor(dbUrl, dbName);
    const monitor = state.monitor;
    log(
      `database ${dbName} (${cfg.hotLinks} hot + ${cfg.wideLinks} wide links), vhost ${vhost}, Redis db ${cfg.redisDb}`,
    );

    const worker = await product.startWorker({ amqpUrl, dbUrl, rawDir });
    // The shared stores' processes, found by port, to show where CPU went (they also serve other work).
    const storePids = {
      redis: procs.pidListeningOn(new URL(services.TEST_REDIS_URL).port),
      rabbitmq: procs.pidListeningOn(new URL(services.TEST_AMQP_URL).port),
    };
    const ctx = {
      cfg,
      rawDir,
      monitor,
      broker,
      vhost,
      worker,
      dbUrl,
      redisUrl,
      amqpUrl,
      storePids,
      apiKey: API_KEY,
      serverCpu: SERVER_CPU,
      generatorCpu: K6_CPU,
      hotFile,
      hotPhrases,
      widePhrases,
      baselinePrefix: BASELINE_PREFIX,
    };
    const rows = [];
    const stress = [];
    let workerResult;

    // --- what the server spends: each redirect tier and creation against its bare baseline, measured with wrk ---
    rows.push(...(await runServerTiers(ctx, wanted, () => interrupted)));
    // --- the api's memory: a long L1 load, then a flood of phrases nobody created ---------------------------------
    if (wanted('memory-l1') && !interrupted)
      rows.push(
        await memoryRun(ctx, {
          id: 'memory-l1',
          title: `L1 redirects for ${cfg.soakSec} s`,
          script: 'redirect',
          env: { PHRASES_FILE: hotPhrases },
          durationSec: cfg.soakSec,
          allowance: 8 * 2 ** 20,
        }),
      );
    if (wanted('memory-unknown') && !interrupted)
      rows.push(
        await memoryRun(ctx, {
          id: 'memory-unknown',
          title: `unknown phrases for ${cfg.floodSec} s`,
          script: 'unknown',
          env: {},
          durationSec: cfg.floodSec,
          // The negative cache full (a tenth of CACHE_L1_MAX_ENTRIES: 10,000 phrases, a few MiB) and the same slack.
          allowance: 16 * 2 ** 20,
        }),
      );

    // --- the other scenarios share one api as deployed -------------------------------------------------------
    const others = ['create-rate', 'mixed', 'spike', 'stress-redirect', 'stress-create', 'worker'];
    if (others.some(wanted) && !interrupted) {
      const api = await product.startApi({
        label: 'main',
        dbUrl,
        redisUrl,
        amqpUrl,
        apiKey: API_KEY,
        cpu: SERVER_CPU,
        rawDir,
      });
      await warmUp(ctx, api, hotFile, 'main');
      if (['create-rate', 'stress-create'].some(wanted)) await warmUp(ctx, api, undefined, 'main-create');
      if (wanted('create-rate'))
        rows.push(
          await productRun(ctx, api, {
            id: 'create-rate',
            title: `create, ${cfg.createRate}/s open model`,
            script: 'create',
            env: { MODE: 'rate', RATE: cfg.createRate, DURATION: cfg.duration },
          }),
        );
      if (wanted('mixed'))
        rows.push(
          ...(await productRun(ctx, api, {
            id: 'mixed',
            title: `mixed 70/30, ${cfg.mixedVus} VUs`,
            script: 'mixed',
            links: hotFile,
            env: { VUS: cfg.mixedVus, DURATION: cfg.duration },
            split: true,
          })),
        );
      if (wanted('spike'))
        rows.push(
          ...(await productRun(ctx, api, {
            id: 'spike',
            title: 'spike 50→1000 VUs (70/30)',
            script: 'spike',
            links: hotFile,
            env: {},
            split: true,
          })),
        );
      if (wanted('stress-redirect')) stress.push(await stressRun(ctx, api, 'redirect', cfg.redirectSteps, hotFile));
      if (wanted('stress-create')) stress.push(await stressRun(ctx, api, 'create', cfg.createSteps));
      if (wanted('worker')) {
        await drainQuiet({ monitor, broker, vhost });
        log('worker: publishing visits straight to RabbitMQ');
        workerResult = await runWorkerThroughput({
          amqpUrl,
          monitor,
          worker,
          links: hot,
          visits: cfg.workerVisits,
          root: ROOT,
        });
        log(`worker: ${Math.round(workerResult.visitsPerSec)} visits/s`);
      }
      await procs.stop(api);
    }
    await procs.stop(worker);

    const machine = await describeMachine({
      dbUrl,
      redis,
      managementUrl: services.TEST_AMQP_MANAGEMENT_URL,
      k6Bin: cfg.k6Bin,
    });
    machine.loadStart = loadStart;
    machine.loadEnd = loadAverage();
    const report = renderReport({
      cfg,
      startedAt,
      finishedAt: new Date(),
      rows,
      stress,
      worker: workerResult,
      runId,
      machine,
    });
    const day = startedAt.toISOString().slice(0, 10);
    fs.mkdirSync(cfg.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(cfg.resultsDir, `${day}.md`), report);
    fs.writeFileSync(path.join(cfg.resultsDir, 'latest.md'), report);
    fs.writeFileSync(path.join(rawDir, 'rows.json'), JSON.stringify({ rows, stress, worker: workerResult }, null, 2));
    log(`wrote ${path.relative(REPO, path.join(cfg.resultsDir, `${day}.md`))} and latest.md`);
    process.stdout.write(report);
  } finally {
    if (!interrupted) await cleanup();
  }
}

const BASELINE_PREFIX = 'offndat-bench:baseline:';

/** The product's L2 entries (through its own adapter, so the format is always right) and the baseline's keys. */
async function seedRedis(redis, links) {
  const { createRedisLinkCache } = require(path.join(ROOT, 'dist/core/links/cache/redis-link-cache.js'));
  const cache = createRedisLinkCache({
    redis,
    keyPrefix: 'offndat:',
    ttlSec: 3600,
    negativeTtlMs: 5000,
    timeoutMs: 10_000,
  });
  for (let i = 0; i < links.length; i += 2000) {
    const chunk = links.slice(i, i + 2000);
    await Promise.all(
      chunk.map((l) => cache.storeLink(l.phrase, { id: l.id, targetUrl: l.targetUrl, languageId: 0, themeId: 0 })),
    );
    const pipeline = redis.pipeline();
    for (const l of chunk) pipeline.set(BASELINE_PREFIX + l.phrase, l.targetUrl, 'EX', 3600);
    await pipeline.exec();
  }
}

/** Same warm-up for product and baseline: JIT, connections and (for the product) the caches. */
/** 100 VUs for BENCH_WARMUP: redirects over `linksFile`, or creations when it is omitted. */
async function warmUp(ctx, server, linksFile, label) {
  await runK6({
    k6Bin: ctx.cfg.k6Bin,
    script: k6script(linksFile ? 'redirect' : 'create'),
    env: {
      BASE_URL: server.baseUrl,
      API_KEY,
      VUS: 100,
      DURATION: ctx.cfg.warmup,
      ...(linksFile ? { LINKS_FILE: linksFile } : {}),
    },
    label: `warmup-${label}`,
    rawDir: ctx.rawDir,
    k6Cpu: K6_CPU,
    server,
    monitor: ctx.monitor,
    storePids: ctx.storePids,
  });
}

function latencyRow(run, trendName) {
  const t = trend(run, trendName);
  return { p50: t.med, p95: t['p(95)'], p99: t['p(99)'], requests: t.count };
}

/** Cores used on average over the k6 run, per process group. */
function cpuFields(run) {
  const perWall = (sec) => (sec === undefined ? undefined : sec / run.cpu.wallSec);
  return {
    serverCores: perWall(run.cpu.serverSec),
    workerCores: perWall(run.cpu.watchSec[0]),
    k6Cores: perWall(run.cpu.k6Sec),
    machineCores: perWall(run.cpu.machineBusySec),
    postgresCores: perWall(run.cpu.postgresSec),
    redisCores: perWall(run.cpu.storesSec.redis),
    rabbitmqCores: perWall(run.cpu.storesSec.rabbitmq),
  };
}

function commonRow(run, server) {
  const requests = count(run, 'http_reqs');
  const serverSec = run.cpu.serverSec;
  return {
    reqPerSec: run.values('http_reqs')?.rate,
    requests,
    maxConnections: run.maxConnections,
    listenOverflows: run.listenOverflows,
    cpuUsPerReq: serverSec !== undefined && requests > 0 ? (serverSec * 1e6) / requests : undefined,
    ...cpuFields(run),
    gate: run.gate,
    server,
  };
}

async function productRun(ctx, api, scenario) {
  log(`${scenario.id}`);
  const rows = await measured(ctx, api, { ...scenario, label: scenario.label ?? scenario.id });
  return scenario.split ? rows : rows[0];
}

/**
 * A product run with everything around it: drain the worker, scrape the api and worker metrics, run k6, wait
 * for the visits to land, scrape again. Returns one row, or one per request kind when `split`.
 */
async function measured(ctx, api, scenario) {
  const { monitor, broker, vhost, worker } = ctx;
  const visitsBefore = await drainQuiet({ monitor, broker, vhost });
  const [apiBefore, workerBefore] = await Promise.all([prom.scrape(api.metricsUrl), prom.scrape(worker.metricsUrl)]);
  const run = await runK6({
    k6Bin: ctx.cfg.k6Bin,
    script: k6script(scenario.script),
    env: { BASE_URL: api.baseUrl, API_KEY, ...(scenario.links ? { LINKS_FILE: scenario.links } : {}), ...scenario.env },
    label: scenario.label,
    rawDir: ctx.rawDir,
    k6Cpu: K6_CPU,
    server: api,
    watch: [worker],
    monitor,
    storePids: ctx.storePids,
    gate: ctx.cfg.gate,
  });
  const redirects = count(run, 'redirects_301');
  const visits =
    redirects > 0 || scenario.script !== 'create'
      ? await product.checkVisits({ monitor, broker, vhost, before: visitsBefore, expected: redirects })
      : undefined;
  const [apiAfter, workerAfter] = await Promise.all([prom.scrape(api.metricsUrl), prom.scrape(worker.metricsUrl)]);
  const cache = product.cacheOutcome(apiBefore, apiAfter);
  const persistP95 = prom.histogramQuantile(workerBefore, workerAfter, 'offndat_visit_persist_lag_seconds', 0.95);
  const base = {
    id: scenario.id,
    scenario: scenario.title,
    role: 'product',
    ...commonRow(run, 'api + worker'),
    cache,
    persistP95,
    visits,
  };
  const errors = count(run, 'redirect_errors') + count(run, 'create_errors');
  if (!scenario.split) return [{ ...base, ...latencyRow(run), errors }];
  return ['redirect', 'create'].map((kind) => {
    const latency = latencyRow(run, `http_req_duration{kind:${kind}}`);
    return {
      ...base,
      scenario: `${scenario.title}: ${kind}s`,
      ...latency,
      reqPerSec: (latency.requests ?? 0) / run.runSec,
      errors: count(run, `${kind}_errors`),
      cpuUsPerReq: undefined,
      ...(kind === 'create' ? { cache: undefined, persistP95: undefined, visits: undefined } : {}),
    };
  });
}

async function stressRun(ctx, api, target, stepsText, linksFile) {
  log(`stress-${target}: ${stepsText}/s, ${ctx.cfg.stepSec} s each`);
  const visitsBefore = await drainQuiet({ monitor: ctx.monitor, broker: ctx.broker, vhost: ctx.vhost });
  const run = await runK6({
    k6Bin: ctx.cfg.k6Bin,
    script: k6script('stress'),
    env: {
      BASE_URL: api.baseUrl,
      API_KEY,
      TARGET: target,
      STEPS: stepsText,
      STEP_SEC: ctx.cfg.stepSec,
      ...(linksFile ? { LINKS_FILE: linksFile } : {}),
    },
    label: `stress-${target}`,
    rawDir: ctx.rawDir,
    k6Cpu: K6_CPU,
    server: api,
    watch: [ctx.worker],
    monitor: ctx.monitor,
    storePids: ctx.storePids,
    gate: ctx.cfg.gate,
  });
  const redirects = count(run, 'redirects_301');
  const visits =
    target === 'redirect'
      ? await product.checkVisits({
          monitor: ctx.monitor,
          broker: ctx.broker,
          vhost: ctx.vhost,
          before: visitsBefore,
          expected: redirects,
        })
      : undefined;
  return {
    target,
    ...stressSteps(run, stepsText, ctx.cfg),
    visits,
    maxConnections: run.maxConnections,
    listenOverflows: run.listenOverflows,
    ...cpuFields(run),
    gate: run.gate,
  };
}

// Set on SIGINT/SIGTERM: the signal handler cleans up and exits; errors from the interrupted run are expected.
let interrupted = false;

main().catch(async (error) => {
  if (interrupted) return;
  log(`failed: ${error.stack ?? error}`);
  await procs.stopAll();
  process.exit(1);
});
