'use strict';
// One sample every SAMPLE_SEC (3 s): replicas of the api and the worker, what their HPAs report (each metric's value
// and target), p95, req/s per pod and per status from Prometheus, queue depth, the visits pipeline, the k6 counters
// of the interval, and the visits stored so far for the scenario's links. A sample that fails in part keeps the rest.
const { hpasByTarget } = require('./hpa');

const q = (ns) => ({
  // Windows of 30 s over 5 s scrapes: short enough to show a step, long enough for rate() to have points.
  p95: `histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{namespace="${ns}",service="api"}[30s])))`,
  rpsByPod: `sum by (pod) (rate(requests_total{namespace="${ns}",service="api"}[30s]))`,
  rpsByStatus: `sum by (status_code) (rate(requests_total{namespace="${ns}",service="api"}[30s]))`,
  queueDepth: `max(offndat_rabbitmq_queue_depth{namespace="${ns}",queue="offndat.visits"})`,
  brokerReady: `sum(rabbitmq_detailed_queue_messages_ready{namespace="${ns}",queue="offndat.visits"})`,
  publishedPerSec: `sum(rate(offndat_visits_published_total{namespace="${ns}",outcome="confirmed"}[30s]))`,
  storedPerSec: `sum(rate(offndat_visit_persist_lag_seconds_count{namespace="${ns}"}[30s]))`,
  visitBuffer: `sum(offndat_visit_buffer_size{namespace="${ns}"})`,
});

const scalar = (vector) => (vector.length ? vector[0].value : undefined);
const byLabel = (vector, label) => Object.fromEntries(vector.map((r) => [r.metric[label] ?? '', r.value]));

async function settle(promise) {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}

function deploymentState(deployments, name) {
  const d = deployments.find((x) => x.metadata.name === name);
  if (!d) return undefined;
  return { desired: d.spec.replicas, current: d.status?.replicas ?? 0, ready: d.status?.readyReplicas ?? 0 };
}

function startSampler({ kube, release, load, visitPrefix, intervalMs = 3000, log = () => {} }) {
  const started = Date.now();
  const samples = [];
  const queries = q(kube.namespace);
  let db = { at: undefined, value: undefined, running: false };
  let stopped = false;

  // The visits count runs psql in the primary: slower than a sample, so it runs beside them and the latest is kept.
  const refreshDb = () => {
    if (db.running || !visitPrefix) return;
    db.running = true;
    release
      .visitCounts(visitPrefix)
      .then((value) => (db = { at: Date.now(), value, running: false }))
      .catch(() => (db.running = false));
  };

  async function takeSample() {
    const t = (Date.now() - started) / 1000;
    refreshDb();
    const [deployments, hpas, ...prom] = await Promise.all([
      settle(kube.list('/apis/apps/v1', 'deployments')),
      settle(kube.list('/apis/autoscaling/v2', 'horizontalpodautoscalers')),
      ...Object.values(queries).map((query) => settle(kube.prom(query))),
    ]);
    const p = Object.fromEntries(Object.keys(queries).map((k, i) => [k, prom[i] ?? []]));
    const sample = {
      t,
      api: deployments && deploymentState(deployments, release.names.api),
      worker: deployments && deploymentState(deployments, release.names.worker),
      hpa: hpas && hpasByTarget(hpas, { api: release.names.api, worker: release.names.worker }),
      p95: scalar(p.p95),
      rps: p.rpsByPod.reduce((s, r) => s + r.value, 0),
      rpsByPod: byLabel(p.rpsByPod, 'pod'),
      rpsByStatus: byLabel(p.rpsByStatus, 'status_code'),
      queueDepth: scalar(p.queueDepth),
      brokerReady: scalar(p.brokerReady),
      publishedPerSec: scalar(p.publishedPerSec),
      storedPerSec: scalar(p.storedPerSec),
      visitBuffer: scalar(p.visitBuffer),
      k6: load ? await settle(load.counters()) : undefined,
      stored: db.value,
    };
    samples.push(sample);
    log(sample);
    return sample;
  }

  const loop = (async () => {
    while (!stopped) {
      const begun = Date.now();
      await takeSample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - begun))));
    }
  })();

  return {
    samples,
    started,
    /** Seconds since the sampler started: the x axis of every chart and the time of every mark. */
    now: () => (Date.now() - started) / 1000,
    latest: () => samples.at(-1),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

module.exports = { startSampler };
