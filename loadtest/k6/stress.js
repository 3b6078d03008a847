// Stress to the breaking point, open model: the arrival rate climbs in STEP_SEC-second steps through STEPS
// (comma-separated rates per second); each step is its own scenario so the summary has its own numbers
// (sub-metrics tagged scenario:step_<rate>). TARGET=redirect (default) or create. The runner names the breaking
// point: the first step with > 1 % errors, p95 over the limit, or under 95 % of the offered rate delivered.
import { TREND_STATS, createOnce, keepSubmetrics, keepTrends, redirectOnce, writeSummary } from './common.js';

const steps = (__ENV.STEPS || '2000,4000,6000,8000,10000,12000,14000').split(',').map(Number);
const stepSec = Number(__ENV.STEP_SEC || 4);
const maxVUs = Number(__ENV.MAX_VUS || 2000);

// Every step is judged, so the first one must not pay for the path's first use (JIT, pools, a database that
// has just been written to hard by the previous run): a warm-up at the first step's rate, not judged, goes first.
const warmupSec = Number(__ENV.WARMUP_SEC || 2);
const scenarios = {
  warmup: {
    executor: 'constant-arrival-rate',
    exec: 'work',
    rate: steps[0],
    timeUnit: '1s',
    duration: `${warmupSec}s`,
    preAllocatedVUs: Math.max(50, Math.ceil(steps[0] / 20)),
    maxVUs,
    gracefulStop: '1s',
  },
};
const names = [];
steps.forEach((rate, i) => {
  const name = `step_${rate}`;
  names.push(name);
  scenarios[name] = {
    executor: 'constant-arrival-rate',
    exec: 'work',
    rate,
    timeUnit: '1s',
    duration: `${stepSec}s`,
    startTime: `${warmupSec + 1 + i * stepSec}s`,
    preAllocatedVUs: Math.min(maxVUs, Math.max(50, Math.ceil(rate / 20))),
    maxVUs,
    gracefulStop: '2s',
  };
});

export const options = {
  scenarios,
  thresholds: {
    ...keepTrends(names.map((n) => `http_req_duration{scenario:${n}}`)),
    ...keepSubmetrics(
      names.flatMap((n) => [
        `http_reqs{scenario:${n}}`,
        `dropped_iterations{scenario:${n}}`,
        `redirect_errors{scenario:${n}}`,
        `create_errors{scenario:${n}}`,
      ]),
    ),
  },
  summaryTrendStats: TREND_STATS,
  discardResponseBodies: true,
};

export const work = __ENV.TARGET === 'create' ? createOnce : redirectOnce;
export const handleSummary = writeSummary;
