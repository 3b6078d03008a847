'use strict';
// Renders one run as the markdown committed under loadtest/results/: the scenario tables, the stress steps,
// the worker, and every target with what was measured against it.

const {
  int,
  ms,
  pct,
  ratio,
  sec,
  mean,
  mark,
  errorsText,
  cacheText,
  visitsText,
  gateMark,
} = require('./report-format');
const { serverRatios, serverTable, memoryTable, serverTargets, isServerRow, isMemoryRow } = require('./report-server');

function otherTable(rows) {
  const lines = [
    '| scenario | req/s | p50 | p95 | p99 | errors | cache hit (L1 · L2 · DB) | server CPU µs/req | max DB conns | persist p95 | visits check |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const row of rows.filter((r) => !isServerRow(r) && !isMemoryRow(r))) {
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
    p99: Math.max(...runs.map((r) => r.p99 ?? 0)),
    errors: sum((r) => r.errors),
    requests: sum((r) => r.requests),
  };
}

function targets({ rows, stress, worker, ratios }) {
  const find = (id) => rows.filter((r) => r.id === id);
  const l1 = ratios.get('redirect-l1');
  const l2 = ratios.get('redirect-l2');
  const db = ratios.get('redirect-db');
  const creates = find('create').filter((r) => r.role === 'product');
  const create = creates.length ? meanOfRuns(creates) : undefined;
  const createBaselines = find('create').filter((r) => r.role === 'baseline');
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
    ...serverTargets(rows, ratios),
    [
      'redirect from L1 p99 ≤ 3× baseline p99',
      l1 && `${ratio(l1.p99)} (${ms(l1.product.p99)} vs ${ms(l1.baseline.p99)})`,
      l1?.p99 === undefined ? undefined : l1.p99 <= 3,
    ],
    [
      'redirect via L2 ≥ 60 % of node:http + ioredis req/s',
      l2 && `${ratio(l2.throughput)} (${int(l2.product.reqPerSec)} vs ${int(l2.baseline.reqPerSec)} req/s)`,
      l2?.throughput === undefined ? undefined : l2.throughput >= 0.6,
    ],
    [
      'redirect via PostgreSQL ≥ 60 % of node:http + pg req/s',
      db &&
        `${ratio(db.throughput)} (${int(db.product.reqPerSec)} vs ${int(db.baseline.reqPerSec)} req/s); server CPU per request ${ratio(db.cpuRatio)}`,
      db?.throughput === undefined ? undefined : db.throughput >= 0.6,
    ],
    [
      'link creation ≥ 1,500/s on one api process',
      create &&
        `${int(create.reqPerSec)}/s, mean of ${creates.length} run(s): ${creates.map((r) => int(r.reqPerSec)).join(', ')} (worst p99 ${ms(create.p99)}, ${errorsText(create)} errors)${createVsBaseline}`,
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
    '| run | generator | server | worker | PostgreSQL backends | Redis (shared) | RabbitMQ (shared) | whole machine | machine before start | listen-queue overflows |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.scenario.endsWith(': creates')) continue;
    const name = isServerRow(r) ? `${r.id} ${r.role} #${r.rep}` : r.scenario.replace(/: redirects$/, '');
    lines.push(
      `| ${name}${gateMark(r)} | ${c(r.generatorCores ?? r.k6Cores)} | ${c(r.serverCores)} | ${c(r.workerCores)} | ${c(r.postgresCores)} | ${c(r.redisCores)} | ${c(r.rabbitmqCores)} | ${c(r.machineCores)} | ${c(r.gate?.busyCores)} | ${int(r.listenOverflows)} |`,
    );
  }
  for (const s of stress) {
    lines.push(
      `| stress ${s.target}${s.gate && !s.gate.quiet ? ' †' : ''} | ${c(s.k6Cores)} | ${c(s.serverCores)} | ${c(s.workerCores)} | ${c(s.postgresCores)} | ${c(s.redisCores)} | ${c(s.rabbitmqCores)} | ${c(s.machineCores)} | ${c(s.gate?.busyCores)} | ${int(s.listenOverflows)} |`,
    );
  }
  return lines.join('\n');
}

/** A server using this much of its core or more was the bottleneck of its run. */
const SATURATED_CORES = 0.85;
const SERVER_TABLE_NOTE =
  'The first columns answer the question: CPU the server spends per request, and the requests per second it completes, each against its bare node:http baseline in the same repeat. The bold rows are the means over the repeats that the targets use.';
const MEMORY_NOTE =
  'RSS and V8 heap of one api, start → middle → end of the run. The L1 run shows whether steady traffic leaks; the unknown-phrase run whether traffic that misses every cache grows memory past the caches, which are bounded by CACHE_L1_MAX_ENTRIES, CACHE_L1_MAX_BYTES and the negative cache (a tenth of the entries).';

/**
 * Whether the ratios measure the servers, tier by tier: wrk must stay well below its core, and both sides near
 * theirs. A server well below its core waited for something, and its CPU per request then reads higher than a
 * saturated server's (fewer requests per wake-up); the line says what it waited for, where the run shows it.
 */
function saturationNote(rows) {
  const runs = rows.filter((r) => isServerRow(r) && r.serverCores !== undefined);
  if (runs.length === 0) return '';
  const range = (xs) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return lo.toFixed(2) === hi.toFixed(2) ? lo.toFixed(2) : `${lo.toFixed(2)}–${hi.toFixed(2)}`;
  };
  const lines = [];
  for (const id of [...new Set(runs.map((r) => r.id))]) {
    const tier = runs.filter((r) => r.id === id);
    const cores = (role) => tier.filter((r) => r.role === role).map((r) => r.serverCores);
    const wrk = tier.map((r) => r.generatorCores).filter((c) => c !== undefined);
    const parts = [`api ${range(cores('product'))}`, `baseline ${range(cores('baseline'))}`];
    if (wrk.length) parts.push(`wrk at most ${Math.max(...wrk).toFixed(2)}`);
    let verdict = 'both servers saturated';
    const idle = tier.filter((r) => r.serverCores < SATURATED_CORES);
    if (idle.length > 0) {
      const postgres = Math.max(...idle.map((r) => r.postgresCores ?? 0));
      const cause =
        postgres >= 0.3 ? `PostgreSQL (its backends used up to ${postgres.toFixed(2)} cores)` : 'other processes';
      const who = [...new Set(idle.map((r) => (r.role === 'product' ? 'the api' : 'the baseline')))].join(' and ');
      verdict = `${who} not saturated: waited on ${cause}`;
    }
    lines.push(`- ${tier[0].scenario}: ${parts.join(', ')} of a core; ${verdict}.`);
  }
  return [
    `**Saturation** (cores used; a server at ${SATURATED_CORES} or more was the bottleneck, wrk well below 1.0 was not):`,
    '',
    ...lines,
  ].join('\n');
}

/** How loaded the machine was: a table from a shared, busy machine must say so where it is read. */
function busyNote(rows, stress, machine) {
  const runs = [...rows, ...stress].filter((r) => r.gate);
  const busy = runs.filter((r) => !r.gate.quiet);
  const load = `load average ${machine.loadStart} at the start, ${machine.loadEnd} at the end`;
  if (busy.length === 0) return `**Machine:** quiet before every measured run (${load}).`;
  return `**Machine busy:** ${busy.length} of ${runs.length} measured runs started while other work used more than the quiet threshold (marked †; ${load}). Read their figures with care; ratios within one repeat suffer least.`;
}

function renderReport({ cfg, startedAt, finishedAt, rows, stress, worker, runId, machine }) {
  const ratios = serverRatios(rows);
  const day = startedAt.toISOString().slice(0, 10);
  const out = [];
  out.push(`# offndat benchmark, ${day}`, '');
  out.push(
    `Run \`${runId}\`, ${startedAt.toISOString().slice(11, 19)}–${finishedAt.toISOString().slice(11, 19)} UTC, \`make bench\`. How to read it: \`loadtest/README.md\`.`,
    '',
    busyNote(rows, stress, machine),
    '',
  );
  out.push('## Machine and method', '');
  out.push(
    `- **Machine:** ${machine.cpu}, ${machine.memoryGiB} GiB, kernel ${machine.kernel}; Node ${machine.node}; ${machine.k6}; PostgreSQL ${machine.postgres} (${machine.postgresSettings}), Redis ${machine.redis}, RabbitMQ ${machine.rabbitmq} (the test services of \`scripts/services.sh\`, shared with other work on the machine).`,
    `- **Load generators:** wrk (${cfg.wrkThreads} thread, ${cfg.wrkConnections} connections, Lua scripts in \`loadtest/wrk/\`) for everything measured per request: it spends a small fraction of what the server does per request, so the server, not the generator, is saturated. k6 for the scenarios of the scalability document (fixed-rate creation, mixed, spike, stress). Both on 127.0.0.1 only${cfg.pin ? ', the generator pinned to cpu0 and the server under test (api or baseline) to cpu1; worker, PostgreSQL, Redis and RabbitMQ unpinned' : ', unpinned'}.${cfg.holdWorker ? " During each measured api run of the server tiers the worker is held (SIGSTOP, after the quiet-machine gate) and resumed when wrk ends: on two cores it and the PostgreSQL backends it writes to would otherwise take turns on the api's core (in production they run in their own pods), and the api would not saturate. The api still publishes every visit to RabbitMQ and waits for its confirms; the worker stores them right after, before the visits check. The memory runs and the k6 scenarios keep the worker running." : ''} Every measured run waits (≤ ${cfg.gate.maxWaitSec} s) for the machine to fall under ${cfg.gate.maxCores} busy cores; **†** marks a run that started without that.`,
    `- **Server tiers:** each server freshly started, warmed for ${cfg.warmupSec} s, then ${cfg.durationSec} s measured; ${cfg.repeats} repeats, product and baseline back to back, order alternating. L1: ${int(cfg.hotLinks)} links, all cached in process, random phrase per request, browser User-Agent, 301 not followed. L2: ${int(cfg.wideLinks)} links pre-stored in Redis, in-process cache capped at 1,000 entries. PostgreSQL: the same links, no Redis, same cap. Creation: POST /v1/links with a JSON body and the API key. The api runs with everything on: Redis, RabbitMQ and the worker, the rate limiter (127.0.0.1 allow-listed), metrics, anonymised addresses. Baselines answer the same 301 (Location, Cache-Control, empty body) from a \`Map\`, after one auto-pipelined ioredis GET, after the product's own prepared query (pool of 20); the creation baseline parses the body and runs the product's own link + outbox insert.`,
    `- **Memory:** a fresh api under L1 load for ${cfg.soakSec} s, then one under a flood of phrases nobody created (each request a new one) for ${cfg.floodSec} s; RSS from /proc, the V8 heap from the api's own metrics, sampled through the run. During the run each figure is the lowest of its fifth (the heap swings with every collection). Before and after, the api idles for ${cfg.settleSec} s and then runs full collections (the runner preloads \`lib/gc-on-signal.js\` with \`--expose-gc\` into this api only), so the heap then is what it holds, not garbage waiting to be collected. Flat: RSS grows by at most 5 % (or 16 MiB) from the middle of the run to its end, and the idle heap afterwards exceeds the one before by at most 8 MiB (L1) or 16 MiB (unknown phrases: the negative cache filling to its bound).`,
    `- **Other scenarios** (k6) run against one api: creation at ${cfg.createRate}/s (open model), 70/30 redirect/create at ${cfg.mixedVus} VUs, a spike 50 → 1000 VUs, stress steps of ${cfg.stepSec} s (open model; breaking point = first step delivering < 95 % of the offered rate, > 1 % errors, or p95 > ${cfg.breakP95Ms} ms), and the worker alone.`,
    "- **Columns:** server CPU µs/req = CPU time (user + system) of the server process alone per request: what it costs to serve one, independent of how fast the generator drives it; × baseline = that over the baseline's in the same repeat. req/s = completed requests per second; × baseline likewise. p50/p99 = the generator's latency; errors = answers other than 301 (redirects) or 201 (creates), transport errors included; server cores / wrk cores = CPU each used per second of the run (the server near 1.0 means it was the bottleneck); cache hit = share of redirect lookups answered by L1 or L2 (api `offndat_cache_requests_total`); max DB conns = highest `pg_stat_activity` count on the run's database; persist p95 = `offndat_visit_persist_lag_seconds` (redirect to committed row; bucket-interpolated); visits check = rows added to `visits` vs the 301s the api served (its `requests_total`), after the worker drained, plus `link_visit_counters` totals = rows. wrk counts slightly fewer, as it drops the answers in flight when its time is up.",
    '- **Caveat:** on 2 cores the worker, PostgreSQL and RabbitMQ share the machine with the api and the generator, so req/s depends on what else runs; server CPU µs per request of a saturated server, and ratios taken within one run, are the steady figures.',
    '',
  );
  out.push('## Targets', '', targets({ rows, stress, worker, ratios }), '');
  if (rows.some(isServerRow))
    out.push(
      '## What the server spends per request, against its bare baseline',
      '',
      SERVER_TABLE_NOTE,
      '',
      saturationNote(rows),
      '',
      serverTable(rows, ratios),
      '',
    );
  if (rows.some(isMemoryRow)) out.push('## Memory of the api under load', '', MEMORY_NOTE, '', memoryTable(rows), '');
  if (rows.some((r) => !isServerRow(r) && !isMemoryRow(r)))
    out.push('## Creation at a fixed rate, mixed, spike (k6)', '', otherTable(rows), '');
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
    'Cores used on average over each run (start-up included); the generator column is wrk for the server tiers and memory runs, k6 for the others. Redis and RabbitMQ are the shared test services: their figures include anything else using them at the time. Listen-queue overflows (kernel TcpExt ListenOverflows, machine-wide) are connections whose SYN was dropped because the accept queue was full; each costs the client a 1 s (then 3 s) retransmit, which shows up in p99.',
    '',
    loadNotes(rows, stress),
    '',
  );
  return `${out.join('\n')}\n`;
}

module.exports = { renderReport, saturationNote };
