#!/usr/bin/env node
'use strict';
// `make kind-scale` / `make kind-chaos` (scripts/k8s/kind-scale.sh): scaling and failure scenarios against the release
// of `make kind-e2e`, with k6 on 127.0.0.1 through the api Service. Each scenario's samples and outcome go to
// loadtest/results/raw/cluster-<date>/<mode>-<id>.result.json (a rerun replaces its own file); the report,
// loadtest/results/cluster-<date>.md with one chart per scenario, is rebuilt from every result of that date.
//
//   node loadtest/cluster/run.js <scenario,...|scale|chaos>     (MODE=keda|hpa: the autoscaling mode installed)
const fs = require('node:fs');
const path = require('node:path');
const procs = require('../lib/procs');
const { createKube } = require('./kube');
const { createRelease } = require('./release');
const { createFaults, undoAll } = require('./faults');
const { apiStep, workerBacklog, runScale } = require('./scale');
const { chaosScenario, CHAOS_IDS } = require('./chaos');
const { writeReport } = require('./report');

const env = process.env;
const num = (name, fallback) => Number(env[name] ?? fallback);
const date = new Date().toISOString().slice(0, 10);
const cfg = {
  k6Bin: env.K6_BIN,
  python: env.PLOT_PYTHON,
  baseUrl: env.API_BASE_URL || 'http://127.0.0.1:30080',
  apiKey: env.API_KEY || 'ci-kind-key',
  node: env.KIND_NODE || 'offndat-control-plane',
  sampleMs: num('SAMPLE_SEC', 3) * 1000,
  drainSec: num('DRAIN_SEC', 120),
  apiMin: num('API_MIN_REPLICAS', 1),
  workerMin: num('WORKER_MIN_REPLICAS', 1),
  scaleDownTimeoutSec: num('SCALE_DOWN_TIMEOUT_SEC', 360),
  apiStep: {
    trickle: num('STEP_TRICKLE_RATE', 20),
    step: num('STEP_RATE', 500),
    warmSec: num('STEP_WARM_SEC', 20),
    stepSec: num('STEP_SEC', 120),
  },
  workerBacklog: {
    rate: num('BACKLOG_RATE', 200),
    holdAtSec: num('BACKLOG_HOLD_AT_SEC', 15),
    // Long enough a backlog that one worker cannot drain it before the autoscaler looks again: KEDA removes its
    // HPA while paused and makes a new one on release, and one worker drained 60 s (9 s) and 150 s (18 s) of
    // backlog before that HPA asked for a second.
    holdSec: num('BACKLOG_HOLD_SEC', 300),
    loadSec: num('BACKLOG_LOAD_SEC', 360),
  },
  chaos: {
    redirectRate: num('CHAOS_REDIRECT_RATE', 150),
    createRate: num('CHAOS_CREATE_RATE', 10),
    faultAtSec: num('CHAOS_FAULT_AT_SEC', 20),
    loadSec: num('CHAOS_LOAD_SEC', 90),
    recoveryTimeoutSec: num('CHAOS_RECOVERY_TIMEOUT_SEC', 240),
  },
  resultsDir: env.RESULTS_DIR || path.join(__dirname, '..', 'results'),
};
cfg.rawDir = path.join(cfg.resultsDir, 'raw', `cluster-${date}`);

function scenarios(selection) {
  const ids = selection.flatMap((s) =>
    s === 'scale' ? ['api-step', 'worker-backlog'] : s === 'chaos' ? CHAOS_IDS : [s],
  );
  return ids.map((id) => {
    if (id === 'api-step') return { ...apiStep(cfg), run: (ctx, sc) => runScale(ctx, sc) };
    if (id === 'worker-backlog') return { ...workerBacklog(cfg), run: (ctx, sc) => runScale(ctx, sc) };
    return chaosScenario(id, cfg);
  });
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '-' : Number(v).toFixed(digits));
const log = {
  info: (text) => process.stdout.write(`[cluster] ${text}\n`),
  sample: (label, s) => {
    const metrics = (role) =>
      (s.hpa?.[role]?.metrics ?? [])
        .map((m) => `${m.name.slice(0, 14)}=${fmt(m.value, 2)}/${fmt(m.target, 2)}`)
        .join(' ');
    const errs = s.k6
      ? Object.entries(s.k6.redirect)
          .filter(([k]) => k !== '301')
          .map(([k, v]) => `r${k}:${v}`)
      : [];
    const cerrs = s.k6
      ? Object.entries(s.k6.create)
          .filter(([k]) => k !== '201')
          .map(([k, v]) => `c${k}:${v}`)
      : [];
    process.stdout.write(
      `[${label} ${fmt(s.t)}s] api ${s.api?.ready}/${s.api?.desired} worker ${s.worker?.ready}/${s.worker?.desired}` +
        ` | ${metrics('api')} | ${metrics('worker')} | p95 ${fmt(s.p95 * 1000, 1)}ms ${fmt(s.rps)}rps` +
        ` q ${fmt(s.queueDepth)} buf ${fmt(s.visitBuffer)} | 301 ${s.k6?.redirect['301'] ?? '-'} stored ${s.stored?.rows ?? '-'}` +
        ` ${[...errs, ...cerrs].join(' ')}\n`,
    );
  },
};

async function main() {
  const selection = (process.argv[2] || 'scale').split(',').map((s) => s.trim());
  if (!cfg.k6Bin) throw new Error('K6_BIN is not set (scripts/k8s/kind-scale.sh builds k6 and sets it)');
  const mode = env.MODE;
  if (mode !== 'keda' && mode !== 'hpa') throw new Error('MODE must be keda or hpa');
  fs.mkdirSync(cfg.rawDir, { recursive: true });
  const kube = createKube({ context: env.KUBE_CONTEXT || 'kind-offndat', namespace: env.NAMESPACE || 'offndat' });
  const release = createRelease({ kube, release: env.RELEASE || 'offndat', baseUrl: cfg.baseUrl, apiKey: cfg.apiKey });
  const faults = createFaults({ kube, release, node: cfg.node });
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').toLowerCase();
  const ctx = { kube, release, faults, cfg, log, mode, runId };
  let failed = 0;
  try {
    for (const scenario of scenarios(selection)) {
      log.info(`${mode} ${scenario.id}: ${scenario.title}`);
      const startedAt = new Date().toISOString();
      try {
        const result = await scenario.run(ctx, scenario);
        result.kind = scenario.kind;
        result.startedAt = startedAt;
        result.finishedAt = new Date().toISOString();
        result.config =
          scenario.kind === 'chaos' ? cfg.chaos : cfg[scenario.id === 'api-step' ? 'apiStep' : 'workerBacklog'];
        fs.writeFileSync(path.join(cfg.rawDir, `${mode}-${scenario.id}.result.json`), JSON.stringify(result));
        log.info(`${mode} ${scenario.id}: served ${result.served}, stored ${result.visits?.rows}`);
        // After every scenario, so that a run stopped half-way still leaves a report of what it did.
        await writeReport({ rawDir: cfg.rawDir, resultsDir: cfg.resultsDir, date, python: cfg.python });
      } catch (error) {
        failed += 1;
        log.info(`${mode} ${scenario.id} failed: ${error.stack}`);
      }
    }
  } finally {
    kube.close();
  }
  const report = await writeReport({ rawDir: cfg.rawDir, resultsDir: cfg.resultsDir, date, python: cfg.python });
  log.info(`report: ${report}`);
  if (failed) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    procs.killAllNow();
    // Heal a partition, release a held worker: the cluster is left as the scenario found it.
    const timer = setTimeout(() => process.exit(130), 15_000);
    undoAll().finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}
main().catch((error) => {
  procs.killAllNow();
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
