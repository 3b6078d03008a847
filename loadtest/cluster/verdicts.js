'use strict';
// What each scenario's samples say, against what the issue of record asks: the facts the report's tables show,
// and a verdict per row ("met" or "short: <why>"). Pure functions of a result file, so a report can be rebuilt.

const markAt = (result, pattern) => result.marks.find((m) => pattern.test(m.label))?.t;
const p95Target = (s) => s?.hpa?.api?.metrics.find((m) => /p95|prometheus/.test(m.name))?.target;

/** Non-2xx/3xx answers of one kind ("redirect" expects 301, "create" 201), by status; 0 = no answer at all. */
function failures(counts, ok) {
  const out = {};
  for (const [status, n] of Object.entries(counts ?? {})) if (status !== ok && n > 0) out[status] = n;
  return out;
}
const total = (byStatus) => Object.values(byStatus).reduce((a, b) => a + b, 0);

/** First and last sample time at which the k6 failure counters grew. */
function errorWindow(samples) {
  let prev;
  let first;
  let last;
  for (const s of samples) {
    if (!s.k6) continue;
    const n = total(failures(s.k6.redirect, '301')) + total(failures(s.k6.create, '201'));
    if (prev !== undefined && n > prev) {
      first ??= s.t;
      last = s.t;
    }
    prev = n;
  }
  return first === undefined ? undefined : { first, last };
}

/** Whether creations succeeded again after the last failed one, while the load still ran (k6 counts are totals). */
function createsRecovered(samples, window) {
  if (!window) return true;
  const atLast = samples.find((s) => s.t === window.last)?.k6?.create?.['201'] ?? 0;
  return samples.some((s) => s.k6 && s.t > window.last && (s.k6.create?.['201'] ?? 0) > atLast);
}

function visitsCheck(result) {
  const rows = result.visits?.rows;
  const counters = result.visits?.counters;
  if (rows === undefined) return { ok: false, text: 'not counted' };
  const diff = rows - result.served;
  const ok = diff === 0 && counters === rows;
  let text = `${rows} stored = ${result.served} served`;
  if (diff < 0) text = `${rows} stored vs ${result.served} served: **${-diff} lost**`;
  if (diff > 0) text = `${rows} stored vs ${result.served} served: **${diff} doubled**`;
  if (counters !== rows) text += `; counters ${counters} ≠ rows`;
  return { ok, text };
}

function apiStepFacts(result) {
  const s = result.samples;
  const step = markAt(result, /^step/);
  const end = markAt(result, /load ends/);
  const min = s.find((x) => x.hpa?.api)?.hpa.api.min ?? 1;
  const maxReady = Math.max(...s.map((x) => x.api?.ready ?? 0));
  const reached3 = s.find((x) => x.t >= step && (x.api?.ready ?? 0) >= 3)?.t;
  const target = p95Target(s.find((x) => p95Target(x) !== undefined));
  const during = s.filter((x) => x.t >= step && x.t <= end);
  const peakP95 = Math.max(...during.map((x) => x.p95 ?? 0));
  const peakAt = during.find((x) => x.p95 === peakP95)?.t ?? step;
  const underAgain =
    target === undefined ? undefined : during.find((x) => x.t > peakAt && x.p95 !== undefined && x.p95 < target)?.t;
  // Pods that served traffic while the step held, each with its highest rate.
  const podPeak = {};
  for (const x of during)
    for (const [pod, r] of Object.entries(x.rpsByPod ?? {})) podPeak[pod] = Math.max(podPeak[pod] ?? 0, r);
  const servingPods = Object.values(podPeak).filter((r) => r >= 5).length;
  const backToMin = s.find((x) => x.t > end && x.api?.desired === min && x.api?.ready === min)?.t;
  const window = result.scaleDownWindowSec?.api;
  const fails = { ...failures(result.k6.redirect, '301') };
  const short = [];
  if (maxReady < 3) short.push(`reached ${maxReady} replicas`);
  if (servingPods < 3) short.push(`${servingPods} pods took traffic`);
  if (target !== undefined && underAgain === undefined) short.push('p95 stayed over target');
  if (backToMin === undefined) short.push('did not return to its minimum');
  return {
    min,
    maxReady,
    toThree: reached3 === undefined ? undefined : reached3 - step,
    podPeak,
    servingPods,
    target,
    peakP95,
    underAgain: underAgain === undefined ? undefined : underAgain - step,
    backToMin: backToMin === undefined ? undefined : backToMin - end,
    window,
    fails,
    visits: visitsCheck(result),
    verdict: short.length ? `short: ${short.join(', ')}` : 'met',
  };
}

function workerBacklogFacts(result) {
  const s = result.samples;
  const released = markAt(result, /released/);
  const end = markAt(result, /load ends/);
  const depth = (x) => x.brokerReady ?? x.queueDepth ?? 0;
  const peakDepth = Math.max(...s.map(depth));
  const after = s.filter((x) => x.t >= released);
  const maxWorkers = Math.max(...after.map((x) => x.worker?.ready ?? 0));
  const drained = after.find((x) => x.t > released && depth(x) < 5)?.t;
  const min = s.find((x) => x.hpa?.worker)?.hpa.worker.min ?? 1;
  const peakAt = after.find((x) => (x.worker?.ready ?? 0) === maxWorkers)?.t ?? released;
  const backToMin = s.find(
    (x) => x.t > Math.max(peakAt, end ?? 0) && x.worker?.desired === min && x.worker?.ready === min,
  )?.t;
  const short = [];
  if (maxWorkers < 2) short.push(`worker reached only ${maxWorkers} replica(s)`);
  if (drained === undefined) short.push('queue not drained');
  if (backToMin === undefined) short.push('did not scale back');
  const visits = visitsCheck(result);
  if (!visits.ok) short.push('visits differ');
  return {
    peakDepth,
    maxWorkers,
    drainSec: drained === undefined ? undefined : drained - released,
    backToMin: backToMin === undefined ? undefined : backToMin - end,
    window: result.scaleDownWindowSec?.worker,
    visits,
    verdict: short.length ? `short: ${short.join(', ')}` : 'met',
  };
}

function chaosFacts(result) {
  const redirects = failures(result.k6.redirect, '301');
  const creates = failures(result.k6.create, '201');
  const window = errorWindow(result.samples);
  const visits = visitsCheck(result);
  const short = [];
  if (!visits.ok) short.push('visits differ');
  if (result.recoverySec === undefined) short.push('did not recover in time');
  if (result.id === 'pg-primary') {
    if (total(redirects) > 0) short.push('redirects failed');
    const other = Object.keys(creates).filter((st) => st !== '503');
    if (other.length) short.push(`creates failed with ${other.join(', ')}`);
    if (result.k6.createFailedNotProblem > 0)
      short.push(`${result.k6.createFailedNotProblem} failures not problem+json`);
    // "Recover by themselves" is only shown by creations that succeed again before the load ends.
    if (!createsRecovered(result.samples, window)) short.push('creations still failing when the load ended');
  } else if (total(redirects) + total(creates) > 0) {
    short.push('requests failed');
  }
  return {
    redirects,
    creates,
    window,
    visits,
    createFailedMs: result.k6.createFailedMs,
    verdict: short.length ? `short: ${short.join(', ')}` : 'met',
  };
}

module.exports = { apiStepFacts, workerBacklogFacts, chaosFacts, failures, total };
