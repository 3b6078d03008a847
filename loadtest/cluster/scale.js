'use strict';
// The scaling scenarios, run once per autoscaling mode:
//   api-step       redirects jump from a trickle to a rate one api pod cannot serve in time; the api must reach at
//                  least 3 replicas, every new pod must take traffic, p95 must come back under its target, and after
//                  the load the api must return to its minimum within the scale-down stabilisation window
//   worker-backlog redirects run while the worker is held at 0 (a stopped consumer), so visits pile up in the queue;
//                  released, the worker must scale up on queue depth, drain it and scale back down
const { runUnderLoad, sleep } = require('./scenario');
const { scaleDownWindow } = require('./hpa');
const { undoLater, undone } = require('./faults');

const atMin = (s, role, min) => s?.[role]?.desired === min && s[role].ready === min;

function apiStep(cfg) {
  const { trickle, step, warmSec, stepSec } = cfg.apiStep;
  return {
    id: 'api-step',
    title: `api load step: ${trickle} → ${step} redirects/s for ${stepSec} s`,
    kind: 'scale',
    plan: (ctx) => ({
      redirectStages: `${warmSec}s:${trickle},1s:${step},${stepSec}s:${step}`,
      afterLoad: async (sampler) => atMin(sampler.latest(), 'api', cfg.apiMin),
      afterLoadTimeoutSec: cfg.scaleDownTimeoutSec,
      actions: [{ at: warmSec, label: `step to ${step}/s`, kind: 'load', run: async () => undefined }],
      ctx,
    }),
  };
}

/** Hold the worker at 0 replicas: KEDA's paused-replicas annotation, or (plain HPA) scale the Deployment to 0. */
async function holdWorker(ctx, hold) {
  const { kube, release } = ctx;
  if (hold) undoLater('worker-hold', () => holdWorker(ctx, false));
  else undone('worker-hold');
  const ns = kube.namespace;
  if (ctx.mode === 'keda') {
    const annotations = { 'autoscaling.keda.sh/paused-replicas': hold ? '0' : null };
    await kube.mergePatch(`/apis/keda.sh/v1alpha1/namespaces/${ns}/scaledobjects/${release.names.worker}`, {
      metadata: { annotations },
    });
  } else {
    // An HPA leaves a Deployment at 0 alone (ScalingDisabled) and takes over again once it is back at 1.
    await kube.mergePatch(`/apis/apps/v1/namespaces/${ns}/deployments/${release.names.worker}/scale`, {
      spec: { replicas: hold ? 0 : 1 },
    });
  }
}

function workerBacklog(cfg) {
  const { rate, holdAtSec, holdSec, loadSec } = cfg.workerBacklog;
  return {
    id: 'worker-backlog',
    title: `worker backlog: ${rate} redirects/s, worker held at 0 for ${holdSec} s`,
    kind: 'scale',
    plan: (ctx) => {
      let released = false;
      return {
        redirectStages: `${loadSec}s:${rate}`,
        actions: [
          { at: holdAtSec, label: 'worker held at 0', kind: 'hold', run: () => holdWorker(ctx, true) },
          {
            at: holdAtSec + holdSec,
            label: 'worker released',
            kind: 'hold',
            run: async () => {
              await holdWorker(ctx, false);
              released = true;
            },
          },
        ],
        afterLoad: async (sampler) => {
          const s = sampler.latest();
          return released && (s?.queueDepth ?? 0) < 5 && atMin(s, 'worker', cfg.workerMin);
        },
        afterLoadTimeoutSec: cfg.scaleDownTimeoutSec,
        cleanup: () => holdWorker(ctx, false),
      };
    },
  };
}

async function runScale(ctx, scenario) {
  const plan = scenario.plan(ctx);
  try {
    const result = await runUnderLoad(ctx, { id: scenario.id, title: scenario.title, ...plan });
    const hpas = await ctx.kube.list('/apis/autoscaling/v2', 'horizontalpodautoscalers');
    result.scaleDownWindowSec = {
      api: scaleDownWindow(hpas, ctx.release.names.api),
      worker: scaleDownWindow(hpas, ctx.release.names.worker),
    };
    return result;
  } finally {
    await plan.cleanup?.().catch(() => {});
    await sleep(1000);
  }
}

module.exports = { apiStep, workerBacklog, runScale };
