'use strict';
// What every scenario does around its own moves: wait for a steady release, create the links it redirects to,
// sample while k6 runs, carry out its timed actions (faults, holds) and mark them, keep sampling afterwards until
// its end condition, wait for every served redirect to be stored, and count visits in PostgreSQL.
const { startSampler } = require('./sampler');
const { startLoad } = require('./load');
const { isReady } = require('./kube');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, probe, { timeoutMs, intervalMs = 2000 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Every Deployment at its desired count and ready, api and worker back at their minimum (a scenario that starts
 * with the replicas the previous one scaled to shows no scaling of its own), the database and the broker ready.
 */
async function steady({ kube, release, cfg }) {
  const deployments = await kube.list('/apis/apps/v1', 'deployments');
  for (const d of deployments) {
    if ((d.status?.readyReplicas ?? 0) !== d.spec.replicas || (d.status?.replicas ?? 0) !== d.spec.replicas)
      return false;
  }
  const replicas = (name) => deployments.find((d) => d.metadata.name === name)?.spec.replicas;
  if (replicas(release.names.api) !== cfg.apiMin || replicas(release.names.worker) !== cfg.workerMin) return false;
  const pg = await kube.get(`/apis/postgresql.cnpg.io/v1/namespaces/${kube.namespace}/clusters/${release.names.pg}`);
  if (!pg || pg.status?.readyInstances !== pg.spec.instances) return false;
  const mq = await kube.pods(`app.kubernetes.io/name=${release.names.mq}`);
  return mq.length > 0 && mq.every(isReady);
}

/**
 * Runs one scenario under load. `plan`: {id, links, redirectStages, createStages, actions: [{at, label, run}],
 * afterLoad: async (s) => truthy when done (s: the sampler), afterLoadTimeoutSec}. Resolves with the raw result.
 */
async function runUnderLoad(ctx, plan) {
  const { kube, release, cfg, log } = ctx;
  const label = `${ctx.mode}-${plan.id}`;
  await until('a steady release', () => steady(ctx), { timeoutMs: 600_000, intervalMs: 5000 });
  const prefix = `https://example.com/offndat-cluster/${ctx.runId}/${label}/`;
  const links = await release.createLinks(prefix, plan.links ?? 100);
  const marks = [];
  let load;
  const sampler = startSampler({
    kube,
    release,
    visitPrefix: prefix,
    intervalMs: cfg.sampleMs,
    load: { counters: () => (load ? load.counters() : Promise.resolve(undefined)) },
    log: (s) => log.sample(label, s),
  });
  const mark = (text, extra = {}) => {
    marks.push({ t: sampler.now(), label: text, ...extra });
    log.info(`${label} t=${sampler.now().toFixed(0)}s: ${text}`);
  };
  let outcome;
  try {
    await sleep(cfg.sampleMs * 2); // a baseline before the load starts
    load = await startLoad({
      k6Bin: cfg.k6Bin,
      baseUrl: cfg.baseUrl,
      apiKey: cfg.apiKey,
      links,
      redirectStages: plan.redirectStages,
      createStages: plan.createStages,
      rawDir: cfg.rawDir,
      label,
    });
    const loadStart = sampler.now();
    mark('load starts', { kind: 'load' });
    const actions = (plan.actions ?? []).map(async (action) => {
      await sleep(Math.max(0, (loadStart + action.at - sampler.now()) * 1000));
      const info = await action.run({ sampler, mark });
      mark(action.label, { kind: action.kind ?? 'fault', ...(info?.mark ?? {}) });
      return info;
    });
    const results = await Promise.all(actions);
    const k6 = await load.done();
    mark('load ends', { kind: 'load' });
    const afterLoad = plan.afterLoad
      ? await until('the end condition', () => plan.afterLoad(sampler), {
          timeoutMs: (plan.afterLoadTimeoutSec ?? 300) * 1000,
          intervalMs: 1000,
        }).catch((error) => ({ timedOut: error.message }))
      : undefined;
    const served = k6.redirect['301'] ?? 0;
    // Every 301 is a visit on its way: wait until PostgreSQL holds them all (or stops gaining).
    let visits = await release.visitCounts(prefix);
    for (let stable = 0, deadline = Date.now() + cfg.drainSec * 1000; Date.now() < deadline;) {
      await sleep(3000);
      const next = await release.visitCounts(prefix);
      if (next?.rows === served && next?.counters === served) {
        visits = next;
        break;
      }
      stable = next?.rows === visits?.rows ? stable + 1 : 0;
      visits = next ?? visits;
      if (stable >= 10) break; // 30 s without a new row: nothing more is coming
    }
    outcome = {
      id: plan.id,
      label,
      mode: ctx.mode,
      title: plan.title,
      marks,
      k6,
      served,
      visits,
      actions: results,
      afterLoad,
    };
  } finally {
    await load?.stop();
    await sampler.stop();
  }
  return { ...outcome, samples: sampler.samples };
}

module.exports = { runUnderLoad, until, steady, sleep };
