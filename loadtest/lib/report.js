'use strict';
// Renders one run as the markdown committed under loadtest/results/: the scenario tables, the stress steps,
// the worker, and every target with what was measured against it.

const int = (n) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n) =>
  n === undefined ? '–' : n < 10 ? `${n.toFixed(2)} ms` : n < 100 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
const pct = (n, digits = 1) => (n === undefined ? '–' : `${(100 * n).toFixed(digits)} %`);
const ratio = (n) => (n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(2)}×`);
const sec = (n) => (n === undefined ? '–' : n < 1 ? `${Math.round(n * 1000)} ms` : `${n.toFixed(2)} s`);
const mean = (values) => {
  const xs = values.filter((v) => v !== undefined && Number.isFinite(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
};
const mark = (met) => (met === undefined ? 'not measured' : met ? '**met**' : '**missed**');

function errorsText(row) {
  if (!row.requests) return int(row.errors);
  return row.errors ? `${int(row.errors)} (${pct(row.errors / row.requests, 2)})` : '0';
}

function cacheText(cache) {
  if (!cache) return '–';
  return `${pct(cache.hit)} (L1 ${pct(cache.l1, 0)} · L2 ${pct(cache.l2, 0)} · DB ${pct(cache.db, 0)})`;
}

function visitsText(v) {
  if (!v) return '–';
  const head = v.ok
    ? `OK ${int(v.stored)} = ${int(v.expected)}`
    : `MISMATCH ${int(v.stored)} stored, ${int(v.expected)} served (${v.stored - v.expected > 0 ? '+' : ''}${int(v.stored - v.expected)})`;
  return v.countersMatchRows ? head : `${head}; counters ${int(v.counted)} ≠ rows ${int(v.rows)}`;
}

const gateMark = (row) => (row.gate && !row.gate.quiet ? ' †' : '');

/** Product vs baseline per tier, from the means over repeats. */
function tierRatios(rows) {
  const tiers = new Map();
  for (const row of rows.filter((r) => r.id.startsWith('redirect-'))) {
    const t = tiers.get(row.id) ?? { product: [], baseline: [] };
    t[row.role].push(row);
    tiers.set(row.id, t);
  }
  const out = new Map();
  for (const [id, t] of tiers) {
    const p = { reqPerSec: mean(t.product.map((r) => r.reqPerSec)), p99: mean(t.product.map((r) => r.p99)) };
    const b = { reqPerSec: mean(t.baseline.map((r) => r.reqPerSec)), p99: mean(t.baseline.map((r) => r.p99)) };
    out.set(id, {
      product: p,
      baseline: b,
      throughput: p.reqPerSec && b.reqPerSec ? p.reqPerSec / b.reqPerSec : undefined,
      p99: p.p99 && b.p99 ? p.p99 / b.p99 : undefined,
      cacheHit: mean(t.product.map((r) => r.cache?.hit)),
      cpuRatio: mean(t.product.map((r) => r.cpuUsPerReq)) / mean(t.baseline.map((r) => r.cpuUsPerReq)),
    });
  }
  return out;
}

function redirectTable(rows, ratios) {
  const lines = [
    '| scenario | server | run | req/s | p50 | p95 | p99 | errors | cache hit (L1 · L2 · DB) | vs baseline: req/s · p99 | server CPU µs/req | max DB conns | persist p95 | visits check |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|',
  ];
  for (const row of rows.filter((r) => r.id.startsWith('redirect-'))) {
    const paired = rows.find((r) => r.id === row.id && r.role === 'baseline' && r.rep === row.rep);
    const vs =
      row.role === 'product' && paired
        ? `${ratio(row.reqPerSec / paired.reqPerSec)} · ${ratio(row.p99 / paired.p99)}`
        : '–';
    lines.push(
      `| ${row.scenario} | ${row.server} | ${row.rep}${gateMark(row)} | ${int(row.reqPerSec)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${errorsText(row)} | ${cacheText(row.cache)} | ${vs} | ${int(row.cpuUsPerReq)} | ${int(row.maxConnections)} | ${sec(row.persistP95)} | ${visitsText(row.visits)} |`,
    );
  }
  for (const [id, r] of ratios) {
    lines.push(
      `| **${id}: mean** | | | ${int(r.product.reqPerSec)} vs ${int(r.baseline.reqPerSec)} | | | ${ms(r.product.p99)} vs ${ms(r.baseline.p99)} | | | **${ratio(r.throughput)} · ${ratio(r.p99)}** | CPU/req ${ratio(r.cpuRatio)} | | | |`,
    );
  }
  return lines.join('\n');
}

function otherTable(rows) {
  const lines = [
    '| scenario | req/s | p50 | p95 | p99 | errors | cache hit (L1 · L2 · DB) | server CPU µs/req | max DB conns | persist p95 | visits check |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const row of rows.filter((r) => !r.id.startsWith('redirect-'))) {
    lines.push(
      `| ${row.scenario}${gateMark(row)} | ${int(row.reqPerSec)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${errorsText(row)} | ${cacheText(row.cache)} | ${int(row.cpuUsPerReq)} | ${int(row.maxConnections)} | ${sec(row.persistP95)} | ${visitsText(row.visits)} |`,
    );
  }
  return lines.join('\n');
}

function stressTable(s) {
  const lines = [
    `**${s.target}s**: breaking point ${s.breakingRate ? `**${int(s.breakingRate)}/s offered**` : 'not reached'}; highest step fully served: ${s.sustainedRate ? `${int(s.sustainedRate)}/s` : 'none'}; max DB connections ${int(s.maxConnections)}; visits check ${visitsText(s.visits)}. Over the whole ramp the api used ${s.serverCores?.toFixed(2) ?? '–'} cores and k6 ${s.k6Cores?.toFixed(2) ?? '–'}${s.gate && !s.gate.quiet ? ' †' : ''}: when the api stays well under one core while steps fail, the limit is the load generator or the machine, not the api.`,
    '',
    '| offered/s | delivered/s | p50 | p95 | p99 | errors | dropped by k6 | verdict |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const step of s.steps) {
    lines.push(
      `| ${int(step.rate)} | ${int(step.delivered)} | ${ms(step.p50)} | ${ms(step.p95)} | ${ms(step.p99)} | ${int(step.errors)} | ${int(step.dropped)} | ${step.reasons.length ? step.reasons.join('; ') : 'kept up'} |`,
    );
  }
  return lines.join('\n');
}

/** Repeated runs as one: mean throughput, the worst p95, errors and requests summed. */
function meanOfRuns(runs) {
  const sum = (pick) => runs.reduce((total, r) => total + (pick(r) ?? 0), 0);
  return {
    reqPerSec: sum((r) => r.reqPerSec) / runs.length,
    p95: Math.max(...runs.map((r) => r.p95 ?? 0)),
    errors: sum((r) => r.errors),
    requests: sum((r) => r.requests),
  };
}

function targets({ rows, stress, worker, ratios }) {
  const find = (id) => rows.filter((r) => r.id === id);
  const l1 = ratios.get('redirect-l1');
  const l2 = ratios.get('redirect-l2');
  const db = ratios.get('redirect-db');
  const creates = find('create');
  const create = creates.length ? meanOfRuns(creates) : undefined;
  const createBaselines = find('create-baseline');
  const createBaseline = createBaselines.length ? meanOfRuns(createBaselines) : undefined;
  const createVsBaseline =
    create && createBaseline
      ? `; bare ${createBaselines[0].server} in the same run: ${int(createBaseline.reqPerSec)}/s (product ${ratio(create.reqPerSec / createBaseline.reqPerSec)})`
      : '';
  const createRate = find('create-rate')[0];
  const visitRows = rows.filter((r) => r.visits);
  const persist = rows.filter((r) => r.persistP95 !== undefined && r.role === 'product');
  const worstPersist = persist.reduce((worst, r) => (!worst || r.persistP95 > worst.persistP95 ? r : worst), undefined);
  const checks = [
    ...visitRows.map((r) => r.visits),
    ...stress.map((s) => s.visits).filter(Boolean),
    ...(worker ? [worker] : []),
  ];
  const allConns = [
    ...rows.map((r) => r.maxConnections),
    ...stress.map((s) => s.maxConnections),
    ...(worker ? [worker.maxConnections] : []),
  ].filter((n) => n !== undefined);
  const maxConns = allConns.length ? Math.max(...allConns) : undefined;
  const list = [
    [
      'redirect from L1 ≥ 70 % of bare node:http throughput',
      l1 &&
        `${ratio(l1.throughput)} (${int(l1.product.reqPerSec)} vs ${int(l1.baseline.reqPerSec)} req/s); per server CPU-second ${ratio(1 / l1.cpuRatio)}`,
      l1?.throughput === undefined ? undefined : l1.throughput >= 0.7,
    ],
    [
      'redirect from L1 p99 ≤ 3× baseline p99',
      l1 && `${ratio(l1.p99)} (${ms(l1.product.p99)} vs ${ms(l1.baseline.p99)})`,
      l1?.p99 === undefined ? undefined : l1.p99 <= 3,
    ],
    [
      'redirect via L2 ≥ 60 % of node:http + ioredis',
      l2 &&
        `${ratio(l2.throughput)} (${int(l2.product.reqPerSec)} vs ${int(l2.baseline.reqPerSec)} req/s); per server CPU-second ${ratio(1 / l2.cpuRatio)}`,
      l2?.throughput === undefined ? undefined : l2.throughput >= 0.6,
    ],
    [
      'redirect via PostgreSQL ≥ 60 % of node:http + pg',
      db &&
        `${ratio(db.throughput)} (${int(db.product.reqPerSec)} vs ${int(db.baseline.reqPerSec)} req/s); per server CPU-second ${ratio(1 / db.cpuRatio)}`,
      db?.throughput === undefined ? undefined : db.throughput >= 0.6,
    ],
    [
      'link creation ≥ 1,500/s on one api process',
      create &&
        `${int(create.reqPerSec)}/s, mean of ${creates.length} run(s): ${creates.map((r) => int(r.reqPerSec)).join(', ')} (worst p95 ${ms(create.p95)}, ${errorsText(create)} errors)${createVsBaseline}`,
      create ? create.reqPerSec >= 1500 : undefined,
    ],
    [
      'link creation p95 < 50 ms at 500/s',
      createRate && `p95 ${ms(createRate.p95)} at ${int(createRate.reqPerSec)}/s`,
      createRate ? createRate.p95 < 50 && createRate.reqPerSec >= 475 : undefined,
    ],
    [
      'worker ≥ 20,000 visits/s persisted',
      worker && `${int(worker.visitsPerSec)} visits/s (${int(worker.stored)} in ${worker.elapsedSec.toFixed(1)} s)`,
      worker ? worker.visitsPerSec >= 20000 : undefined,
    ],
    [
      'publish-to-persist p95 < 1 s',
      worstPersist && `worst ${sec(worstPersist.persistP95)} (${worstPersist.scenario})`,
      worstPersist ? worstPersist.persistP95 < 1 : undefined,
    ],
    [
      'zero visits lost or double-counted',
      checks.length
        ? `${checks.filter((c) => c.ok && c.countersMatchRows).length} of ${checks.length} checks exact`
        : undefined,
      checks.length ? checks.every((c) => c.ok && c.countersMatchRows) : undefined,
    ],
    [
      'redirect cache hit ratio > 95 %',
      l1 && pct(l1.cacheHit, 2),
      l1?.cacheHit === undefined ? undefined : l1.cacheHit > 0.95,
    ],
    [
      'database connections < 100 in every scenario',
      maxConns !== undefined ? `max ${maxConns}` : undefined,
      maxConns === undefined ? undefined : maxConns < 100,
    ],
  ];
  return [
    '| target | measured | |',
    '|---|---|---|',
    ...list.map(([name, measured, met]) => `| ${name} | ${measured ?? '–'} | ${mark(met)} |`),
  ].join('\n');
}

function loadNotes(rows, stress) {
  const c = (n) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(2));
  const lines = [
    '| run | k6 | server | worker | PostgreSQL backends | Redis (shared) | RabbitMQ (shared) | whole machine | machine before start | listen-queue overflows |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.scenario.endsWith(': creates')) continue;
    const name = r.id.startsWith('redirect-') ? `${r.id} ${r.role} #${r.rep}` : r.scenario.replace(/: redirects$/, '');
    lines.push(
      `| ${name}${gateMark(r)} | ${c(r.k6Cores)} | ${c(r.serverCores)} | ${c(r.workerCores)} | ${c(r.postgresCores)} | ${c(r.redisCores)} | ${c(r.rabbitmqCores)} | ${c(r.machineCores)} | ${c(r.gate?.busyCores)} | ${int(r.listenOverflows)} |`,
    );
  }
  for (const s of stress) {
    lines.push(
      `| stress ${s.target}${s.gate && !s.gate.quiet ? ' †' : ''} | ${c(s.k6Cores)} | ${c(s.serverCores)} | ${c(s.workerCores)} | ${c(s.postgresCores)} | ${c(s.redisCores)} | ${c(s.rabbitmqCores)} | ${c(s.machineCores)} | ${c(s.gate?.busyCores)} | ${int(s.listenOverflows)} |`,
    );
  }
  return lines.join('\n');
}

function renderReport({ cfg, startedAt, finishedAt, rows, stress, worker, runId, machine }) {
  const ratios = tierRatios(rows);
  const day = startedAt.toISOString().slice(0, 10);
  const out = [];
  out.push(`# offndat benchmark, ${day}`, '');
  out.push(
    `Run \`${runId}\`, ${startedAt.toISOString().slice(11, 19)}–${finishedAt.toISOString().slice(11, 19)} UTC, \`make bench\`. How to read it: \`loadtest/README.md\`.`,
    '',
  );
  out.push('## Machine and method', '');
  out.push(
    `- **Machine:** ${machine.cpu}, ${machine.memoryGiB} GiB, kernel ${machine.kernel}; Node ${machine.node}; ${machine.k6}; PostgreSQL ${machine.postgres} (${machine.postgresSettings}), Redis ${machine.redis}, RabbitMQ ${machine.rabbitmq} (the test services of \`scripts/services.sh\`, shared with other work on the machine).`,
    `- **Load:** k6 on 127.0.0.1 only${cfg.pin ? ', pinned to cpu0; the server under test (api or baseline) pinned to cpu1; worker, PostgreSQL, Redis and RabbitMQ unpinned' : ', unpinned'}. Every measured run waits (≤ ${cfg.gate.maxWaitSec} s) for the machine to fall under ${cfg.gate.maxCores} busy cores; **†** marks a run that started without that.`,
    `- **Redirects:** the same k6 script (${cfg.redirectVus} VUs, closed loop, ${cfg.duration}, browser User-Agent, random phrase, 301 not followed) against the product and its baseline, each freshly started and warmed for ${cfg.warmup} at 100 VUs, ${cfg.repeats} repeat(s), order alternating. L1: ${int(cfg.hotLinks)} links, all cached in process. L2: ${int(cfg.wideLinks)} links pre-stored in Redis, in-process cache capped at 1,000 entries. PostgreSQL: the same ${int(cfg.wideLinks)} links, no Redis, same cap. Baselines answer the same 301 (Location, Cache-Control, empty body): from a \`Map\`; after one ioredis GET; after the product's own prepared query (pool of 20, like the api's).`,
    `- **Other scenarios** run against one api with Redis and RabbitMQ, the rate limiter on with 127.0.0.1 allow-listed: creation at ${cfg.createVus} VUs and at ${cfg.createRate}/s (open model), 70/30 redirect/create at ${cfg.mixedVus} VUs, a spike 50 → 1000 VUs, stress steps of ${cfg.stepSec} s (open model; breaking point = first step delivering < 95 % of the offered rate, > 1 % errors, or p95 > ${cfg.breakP95Ms} ms), and the worker alone.`,
    "- **Columns:** req/s = completed requests per second over the run; p50/p95/p99 = k6 `http_req_duration`; errors = answers other than 301 (redirects) or 201 (creates), transport errors included; cache hit = share of redirect lookups answered by L1 or L2 (api `offndat_cache_requests_total`); server CPU µs/req = CPU time of the server process only (not worker or stores) per request; max DB conns = highest `pg_stat_activity` count on the run's database, sampled every 250 ms; persist p95 = `offndat_visit_persist_lag_seconds` (worker histogram, redirect to committed row; bucket-interpolated); visits check = rows added to `visits` (humans + bots) vs 301s counted by k6, after the worker drained, plus `link_visit_counters` totals = rows.",
    '- **Caveat:** on 2 cores the load generator competes with the server. When k6 uses a full core the server is not saturated and req/s measures k6 as much as the server: compare ratios and server CPU µs/req, which do not depend on that.',
    '',
  );
  out.push('## Targets', '', targets({ rows, stress, worker, ratios }), '');
  if (rows.some((r) => r.id.startsWith('redirect-')))
    out.push('## Redirects against the baselines', '', redirectTable(rows, ratios), '');
  if (rows.some((r) => !r.id.startsWith('redirect-'))) out.push('## Creation, mixed, spike', '', otherTable(rows), '');
  if (stress.length) out.push('## Stress to the breaking point', '', ...stress.flatMap((s) => [stressTable(s), '']));
  if (worker) {
    out.push(
      '## Worker',
      '',
      `${int(worker.visits)} visits of existing links published in ${int(Math.ceil(worker.visits / 500))} batches of 500 straight to \`offndat.events\` / \`link.visited\` (published in ${worker.publishedSec.toFixed(2)} s, ${int(worker.publishPerSec)} visits/s): **${int(worker.visitsPerSec)} visits/s persisted** (all stored after ${worker.elapsedSec.toFixed(2)} s); stored ${int(worker.stored)} of ${int(worker.visits)} (${worker.ok ? 'OK' : 'MISMATCH'}), counters ${worker.countersMatchRows ? '= rows' : '≠ rows'}; max DB connections ${int(worker.maxConnections)}. Lag p95 while working off this backlog: ${sec(worker.backlogLagP95)} (a backlog by construction; not the steady-state figure).`,
      '',
    );
  }
  out.push(
    '## Where the CPU went',
    '',
    'Cores used on average over each k6 run (start-up included). Redis and RabbitMQ are the shared test services: their figures include anything else using them at the time. Listen-queue overflows (kernel TcpExt ListenOverflows, machine-wide) are connections whose SYN was dropped because the accept queue was full; each costs the client a 1 s (then 3 s) retransmit, which shows up in p99.',
    '',
    loadNotes(rows, stress),
    '',
  );
  return `${out.join('\n')}\n`;
}

module.exports = { renderReport };
