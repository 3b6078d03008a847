// Load for the cluster scenarios (loadtest/cluster/run.js): redirects and link creations through the api Service
// of the kind cluster, each an open model (arrival rate) that follows its own stages, bounded in time and rate.
// Every iteration opens a new connection: a click on a short link is, nearly always, a new client, and it lets
// kube-proxy spread the load over pods the autoscaler adds (a pooled connection would stay on its first pod).
//
//   BASE_URL        the api Service, http://127.0.0.1:30080
//   LINKS_FILE      JSON array of {phrase} to redirect to
//   API_KEY         X-Offnd-Api-Key for creations
//   REDIRECT_STAGES comma-separated <seconds>s:<rate per second>, ramping linearly to each rate ("0s:50" = jump)
//   CREATE_STAGES   the same for creations ("" = none)
//   MAX_VUS         cap on concurrent requests per scenario (default 600)
//   SUMMARY_FILE    where handleSummary writes the end-of-test data as JSON
//
// Counters per answer status (redirect_status_<code>, create_status_<code>; 0 = no answer) are read live through
// k6's REST API by the runner, so each sample knows the failed requests of its interval.
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { SharedArray } from 'k6/data';
import { BROWSER_UA, TREND_STATS, writeSummary } from './common.js';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:30080';
const MAX_VUS = Number(__ENV.MAX_VUS || 600);
// The statuses worth a counter of their own; anything else is counted as "other".
const STATUSES = [0, 201, 301, 400, 404, 429, 500, 502, 503, 504];

const links = new SharedArray('links', () => JSON.parse(open(__ENV.LINKS_FILE)).map((l) => l.phrase));

function counters(kind) {
  const byStatus = {};
  for (const status of STATUSES) byStatus[status] = new Counter(`${kind}_status_${status}`);
  byStatus.other = new Counter(`${kind}_status_other`);
  return byStatus;
}
const redirectStatus = counters('redirect');
const createStatus = counters('create');
/** Time to an answer for creations that failed: "fail fast" is read from this. */
const createFailedDuration = new Trend('create_failed_duration', true);
/** Failed creations whose body was not application/problem+json (a bare 502 from a proxy, a reset, ...). */
const createFailedNotProblem = new Counter('create_failed_not_problem');

function count(byStatus, status) {
  (byStatus[status] || byStatus.other).add(1);
}

/** "30s:50,60s:400" -> ramping-arrival-rate stages; the first rate is also the start rate. */
function stages(spec) {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [duration, target] = s.split(':');
      return { duration, target: Number(target) };
    });
}

function scenario(exec, spec) {
  const list = stages(spec);
  return {
    executor: 'ramping-arrival-rate',
    exec,
    startRate: list[0].target,
    timeUnit: '1s',
    preAllocatedVUs: Math.min(50, MAX_VUS),
    maxVUs: MAX_VUS,
    stages: list,
    gracefulStop: '10s',
  };
}

const scenarios = { redirects: scenario('redirect', __ENV.REDIRECT_STAGES || '0s:10,30s:10') };
if (__ENV.CREATE_STAGES) scenarios.creates = scenario('create', __ENV.CREATE_STAGES);

export const options = {
  scenarios,
  noVUConnectionReuse: true,
  discardResponseBodies: true,
  summaryTrendStats: TREND_STATS,
  // Thresholds that never fail keep the per-kind latencies in the summary.
  thresholds: {
    'http_req_duration{kind:redirect}': ['max>=0'],
    'http_req_duration{kind:create}': ['max>=0'],
  },
};

const redirectParams = {
  redirects: 0,
  timeout: '10s',
  headers: { 'User-Agent': BROWSER_UA },
  tags: { name: 'redirect', kind: 'redirect' },
};

export function redirect() {
  const phrase = links[Math.floor(Math.random() * links.length)];
  count(redirectStatus, http.get(`${BASE_URL}/${phrase}`, redirectParams).status);
}

const createParams = {
  timeout: '10s',
  headers: { 'Content-Type': 'application/json', 'x-offnd-api-key': __ENV.API_KEY || '', 'User-Agent': BROWSER_UA },
  tags: { name: 'create', kind: 'create' },
};
let seq = 0;

export function create() {
  seq += 1;
  const body = JSON.stringify({
    targetUrl: `https://example.com/offndat-cluster-load/${__VU}-${seq}`,
    languageId: seq % 2,
    themeId: 0,
    formatId: 0,
  });
  const res = http.post(`${BASE_URL}/v1/links`, body, createParams);
  count(createStatus, res.status);
  if (res.status !== 201) {
    createFailedDuration.add(res.timings.duration);
    if (!String(res.headers['Content-Type'] || '').startsWith('application/problem+json'))
      createFailedNotProblem.add(1);
  }
}

export const handleSummary = writeSummary;
