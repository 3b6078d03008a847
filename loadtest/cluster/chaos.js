'use strict';
// The failure scenarios, each under steady redirect + create load: one fault at FAULT_AT seconds into the load, a
// watcher that notes when the affected part is whole again (the recovery time), then the visits check.
const { runUnderLoad, sleep } = require('./scenario');
const { rolledOut, isReady } = require('./faults');

/** Polls `recovered()` every 2 s from the fault on; resolves with the sampler time it first held (or undefined). */
function watchRecovery(sampler, recovered, timeoutSec) {
  return (async () => {
    const deadline = Date.now() + timeoutSec * 1000;
    while (Date.now() < deadline) {
      if (await recovered().catch(() => false)) return sampler.now();
      await sleep(2000);
    }
    return undefined;
  })();
}

const SCENARIOS = {
  'pg-primary': {
    title: 'delete the CloudNativePG primary pod',
    recoveredWhen: 'a replica promoted, and every instance ready again',
    fault: (f) => f.deletePrimary(),
    recovered: async ({ kube, release }, info, sampler) => {
      const c = await kube.get(`/apis/postgresql.cnpg.io/v1/namespaces/${kube.namespace}/clusters/${release.names.pg}`);
      const promoted = c.status.currentPrimary !== info.target;
      if (promoted) info.promotedAt ??= sampler.now();
      return promoted && c.status.readyInstances === c.spec.instances;
    },
  },
  'rabbitmq-pod': {
    title: 'delete the RabbitMQ pod',
    recoveredWhen: 'the broker ready and the api visit buffers empty again',
    fault: (f) => f.deleteRabbitmqPod(),
    recovered: async ({ kube, release }, info, sampler) => {
      const pods = await kube.pods(`app.kubernetes.io/name=${release.names.mq}`);
      const back = pods.some((p) => p.metadata.name === info.target && isReady(p) && p.metadata.uid !== info.uid);
      // Visits are always in flight (batches every 25 ms): "empty" is a buffer back to its usual handful.
      return back && (sampler.latest()?.visitBuffer ?? Infinity) < 50;
    },
  },
  'redis-pod': {
    title: 'delete the Redis pod',
    recoveredWhen: 'a new Redis pod ready',
    fault: (f) => f.deleteRedisPod(),
    recovered: async ({ release }, info) =>
      (await release.readyPods('redis')).some((p) => p.metadata.name !== info.target),
  },
  'worker-kill': {
    title: 'kill -9 the worker process',
    recoveredWhen: 'the container restarted and ready',
    fault: (f) => f.killWorkerProcess(),
    recovered: async ({ kube }, info) => {
      const pod = await kube.get(`/api/v1/namespaces/${kube.namespace}/pods/${info.target}`);
      const restarts = pod?.status?.containerStatuses?.find((c) => c.name === 'worker')?.restartCount ?? 0;
      return restarts > info.restartsBefore && isReady(pod);
    },
  },
  'api-rollout': {
    title: 'kubectl rollout restart deployment/api',
    recoveredWhen: 'the rollout complete',
    fault: (f) => f.rolloutRestart('api'),
    recovered: ({ kube, release }) => rolledOut(kube, release.names.api),
  },
  'worker-rollout': {
    title: 'kubectl rollout restart deployment/worker',
    recoveredWhen: 'the rollout complete',
    fault: (f) => f.rolloutRestart('worker'),
    recovered: ({ kube, release }) => rolledOut(kube, release.names.worker),
  },
  'worker-partition': {
    title: 'partition one worker from RabbitMQ for 30 s (iptables DROP in its network namespace)',
    recoveredWhen: 'partition healed and the queue back under 50 ready messages',
    partitionSec: 30,
    fault: (f) => f.partitionWorker(),
    recovered: async (ctx, info, sampler) => info.healed && (sampler.latest()?.queueDepth ?? Infinity) < 50,
  },
};

function chaosScenario(id, cfg) {
  const spec = SCENARIOS[id];
  if (!spec) throw new Error(`unknown chaos scenario ${id}`);
  const { redirectRate, createRate, faultAtSec, loadSec, recoveryTimeoutSec } = cfg.chaos;
  return {
    id,
    title: spec.title,
    kind: 'chaos',
    async run(ctx) {
      let info;
      let recovery;
      const actions = [
        {
          at: faultAtSec,
          label: spec.title.replace(/ \(.*\)$/, ''),
          run: async ({ sampler }) => {
            info = await spec.fault(ctx.faults);
            recovery = watchRecovery(sampler, () => spec.recovered(ctx, info, sampler), recoveryTimeoutSec);
            return { target: info.target };
          },
        },
      ];
      if (spec.partitionSec) {
        actions.push({
          at: faultAtSec + spec.partitionSec,
          label: 'partition healed',
          run: async () => {
            await info.heal();
            info.healed = true;
            return undefined;
          },
        });
      }
      try {
        const result = await runUnderLoad(ctx, {
          id,
          title: spec.title,
          redirectStages: `${loadSec}s:${redirectRate}`,
          createStages: `${loadSec}s:${createRate}`,
          actions,
          afterLoad: async () => (recovery ? (await recovery, true) : true),
          afterLoadTimeoutSec: recoveryTimeoutSec,
        });
        const faultMark = result.marks.find((m) => m.kind === 'fault');
        const recoveredAt = await recovery;
        return {
          ...result,
          recoveredWhen: spec.recoveredWhen,
          faultAt: faultMark?.t,
          recoveredAt,
          recoverySec: recoveredAt === undefined || !faultMark ? undefined : recoveredAt - faultMark.t,
          promotedSec: info?.promotedAt === undefined || !faultMark ? undefined : info.promotedAt - faultMark.t,
        };
      } finally {
        if (info?.heal && !info.healed) await info.heal();
      }
    },
  };
}

module.exports = { chaosScenario, CHAOS_IDS: Object.keys(SCENARIOS) };
