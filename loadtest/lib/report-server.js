'use strict';
// The report's first tables: what each server spends per request against its baseline (wrk), and the api's
// memory under a long load and a flood of unknown phrases. Shared formatting lives in report-format.js.
const { int, ms, pct, ratio, mean, mib, visitsText, cacheText, gateMark, errorsText } = require('./report-format');

const SERVER_TIERS = ['redirect-l1', 'redirect-l2', 'redirect-db', 'create'];
const MEMORY = ['memory-l1', 'memory-unknown'];
const isServerRow = (row) => SERVER_TIERS.includes(row.id);
const isMemoryRow = (row) => MEMORY.includes(row.id);

/** Per tier, the means over the repeats and the product's ratios to its baseline. */
function serverRatios(rows) {
  const out = new Map();
  for (const id of SERVER_TIERS) {
    const product = rows.filter((r) => r.id === id && r.role === 'product');
    const baseline = rows.filter((r) => r.id === id && r.role === 'baseline');
    if (!product.length || !baseline.length) continue;
    const p = {
      cpuUsPerReq: mean(product.map((r) => r.cpuUsPerReq)),
      reqPerSec: mean(product.map((r) => r.reqPerSec)),
      p99: mean(product.map((r) => r.p99)),
    };
    const b = {
      cpuUsPerReq: mean(baseline.map((r) => r.cpuUsPerReq)),
      reqPerSec: mean(baseline.map((r) => r.reqPerSec)),
      p99: mean(baseline.map((r) => r.p99)),
    };
    out.set(id, {
      product: p,
      baseline: b,
      baselineName: baseline[0].server,
      cpuRatio: p.cpuUsPerReq / b.cpuUsPerReq,
      throughput: p.reqPerSec / b.reqPerSec,
      p99: p.p99 / b.p99,
      cacheHit: mean(product.map((r) => r.cache?.hit)),
      repeats: product.length,
    });
  }
  return out;
}

const coresText = (n) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(2));

function serverTable(rows, ratios) {
  const lines = [
    '| scenario | server | run | server CPU µs/req | × baseline | req/s | × baseline | p50 | p99 | errors | server cores | wrk cores | cache hit (L1 · L2 · DB) | visits check |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const row of rows.filter(isServerRow)) {
    const paired = rows.find((r) => r.id === row.id && r.role === 'baseline' && r.rep === row.rep);
    const mine = row.role === 'product' && paired;
    lines.push(
      `| ${row.scenario} | ${row.server} | ${row.rep}${gateMark(row)} | ${int(row.cpuUsPerReq)} | ${mine ? ratio(row.cpuUsPerReq / paired.cpuUsPerReq) : '–'} | ${int(row.reqPerSec)} | ${mine ? ratio(row.reqPerSec / paired.reqPerSec) : '–'} | ${ms(row.p50)} | ${ms(row.p99)} | ${errorsText(row)} | ${coresText(row.serverCores)} | ${coresText(row.generatorCores)} | ${cacheText(row.cache)} | ${visitsText(row.visits, row.generatorCounted)} |`,
    );
  }
  for (const [id, r] of ratios) {
    lines.push(
      `| **${id}: mean of ${r.repeats}** | vs ${r.baselineName} | | ${int(r.product.cpuUsPerReq)} vs ${int(r.baseline.cpuUsPerReq)} | **${ratio(r.cpuRatio)}** | ${int(r.product.reqPerSec)} vs ${int(r.baseline.reqPerSec)} | **${ratio(r.throughput)}** | | ${ms(r.product.p99)} vs ${ms(r.baseline.p99)} | | | | | |`,
    );
  }
  return lines.join('\n');
}

/**
 * RSS may rise by 5 % (or 16 MiB: the allocator's slack, which a short run has not used up yet) from the middle of
 * the run to its end, once the caches are full.
 */
const FLAT_RSS_SHARE = 0.05;
const FLAT_RSS_BYTES = 16 * 2 ** 20;

/**
 * Flat: RSS levels off in the second half of the run, and the heap the idle api holds afterwards exceeds what it
 * held before by no more than the scenario's allowance (what its bounded caches may fill).
 */
function memoryVerdict(memory) {
  const { middle, end, before, after, allowance } = memory;
  if (!Number.isFinite(middle.rss) || !Number.isFinite(end.rss)) return undefined;
  const rssFlat = end.rss - middle.rss <= Math.max(FLAT_RSS_SHARE * middle.rss, FLAT_RSS_BYTES);
  const heapHeld = !Number.isFinite(after?.heapUsed) || after.heapUsed - before.heapUsed <= allowance;
  return rssFlat && heapHeld;
}

function memoryTable(rows) {
  const lines = [
    '| scenario | requests | req/s | server CPU µs/req | RSS start → middle → end | heap used (floor) start → middle → end | heap held idle: before → after (allowed growth) | flat | visits check |',
    '|---|---:|---:|---:|---|---|---|---|---|',
  ];
  for (const row of rows.filter(isMemoryRow)) {
    const m = row.memory;
    const flat = memoryVerdict(m);
    lines.push(
      `| ${row.scenario}${gateMark(row)} | ${int(row.requests)} | ${int(row.reqPerSec)} | ${int(row.cpuUsPerReq)} | ${mib(m.start.rss)} → ${mib(m.middle.rss)} → ${mib(m.end.rss)} | ${mib(m.start.heapUsed)} → ${mib(m.middle.heapUsed)} → ${mib(m.end.heapUsed)} | ${mib(m.before?.heapUsed)} → ${mib(m.after?.heapUsed)} (${mib(m.allowance)}) | ${flat === undefined ? '–' : flat ? 'yes' : '**no**'} | ${visitsText(row.visits)} |`,
    );
  }
  return lines.join('\n');
}

/** The targets of the server tiers and of memory, as [name, measured, met] rows for the targets table. */
function serverTargets(rows, ratios) {
  const tier = (id) => ratios.get(id);
  const cpuTarget = (id, limit, name) => {
    const r = tier(id);
    return [
      `${name}: server CPU per request ≤ ${limit}× ${r?.baselineName ?? 'its baseline'}`,
      r &&
        `${ratio(r.cpuRatio)} (${int(r.product.cpuUsPerReq)} vs ${int(r.baseline.cpuUsPerReq)} µs; mean of ${r.repeats})`,
      r ? r.cpuRatio <= limit : undefined,
    ];
  };
  const l1 = tier('redirect-l1');
  const memory = (id, name) => {
    const row = rows.find((r) => r.id === id);
    const verdict = row && memoryVerdict(row.memory);
    return [
      name,
      row &&
        `RSS ${mib(row.memory.start.rss)} → ${mib(row.memory.middle.rss)} → ${mib(row.memory.end.rss)} over ${int(row.durationSec)} s; heap held idle ${mib(row.memory.before?.heapUsed)} before, ${mib(row.memory.after?.heapUsed)} after (≤ +${mib(row.memory.allowance)} allowed)`,
      verdict,
    ];
  };
  return [
    cpuTarget('redirect-l1', 1.5, 'redirect from L1, every feature on'),
    [
      'redirect from L1: req/s ≥ 0.6× bare node:http',
      l1 && `${ratio(l1.throughput)} (${int(l1.product.reqPerSec)} vs ${int(l1.baseline.reqPerSec)} req/s)`,
      l1 ? l1.throughput >= 0.6 : undefined,
    ],
    cpuTarget('redirect-l2', 1.5, 'redirect via L2'),
    cpuTarget('create', 2.5, 'link creation'),
    memory('memory-l1', 'api memory flat under L1 load (second half of the run)'),
    memory('memory-unknown', 'unknown phrases grow no memory beyond the bounded caches'),
  ];
}

module.exports = { serverRatios, serverTable, memoryTable, serverTargets, isServerRow, isMemoryRow, pct };
