'use strict';
// One measured wrk run: the same quiet-machine gate, connection sampling and CPU accounting as a k6 run
// (k6run.js), for the scenarios whose generator must cost far less than the server it loads. wrk prints one
// WRK_RESULT line (loadtest/wrk/common.lua), read back here.
const fs = require('node:fs');
const path = require('node:path');
const procs = require('./procs');
const { waitForQuietMachine, sleep } = require('./k6run');

const LUA_DIR = path.join(__dirname, '..', 'wrk');

/** Resident set size of a process in bytes (VmRSS), undefined once it is gone. */
function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs wrk against `url` with `script` (a file in loadtest/wrk), pinned to `wrkCpu`, for `durationSec`.
 * `server` is the process under test (its CPU, and its memory when `memory` names its metrics URL), `watch`
 * more processes whose CPU is reported (the worker). `hold` processes are stopped (SIGSTOP) once the machine is
 * quiet and continued when wrk ends, so that they take no CPU from the server during the measured run.
 */
async function runWrk({ gate, hold = [], ...options }) {
  const gateResult = gate ? await waitForQuietMachine(gate) : { busyCores: undefined, quiet: true };
  for (const handle of hold) process.kill(handle.pid, 'SIGSTOP');
  try {
    return { ...(await measure(options)), gate: gateResult };
  } finally {
    for (const handle of hold) process.kill(handle.pid, 'SIGCONT');
  }
}

async function measure({
  wrkBin,
  script,
  url,
  env = {},
  label,
  rawDir,
  wrkCpu,
  threads = 1,
  connections = 64,
  durationSec,
  server,
  watch = [],
  monitor,
  storePids = {},
  memory,
}) {
  const cpuBefore = {
    server: procs.cpuSeconds(server?.pid),
    machine: procs.machineCpu(),
    watch: watch.map((h) => procs.cpuSeconds(h.pid)),
  };
  const overflowsBefore = procs.listenOverflows();
  const storesBefore = Object.fromEntries(Object.entries(storePids).map(([n, pid]) => [n, procs.cpuSeconds(pid)]));
  const backendStart = new Map();
  let maxConnections = 0;
  let sampling = true;
  const memorySamples = [];
  const sampler = (async () => {
    while (sampling) {
      try {
        const pids = monitor ? await monitor.backends() : [];
        for (const pid of pids) if (!backendStart.has(pid)) backendStart.set(pid, procs.cpuSeconds(pid) ?? 0);
        maxConnections = Math.max(maxConnections, pids.length);
      } catch {
        // a failed sample is just skipped
      }
      await sleep(250);
    }
  })();
  const memorySampler = memory
    ? (async () => {
        const started = Date.now();
        while (sampling) {
          memorySamples.push(await memorySample(server.pid, memory.metricsUrl, (Date.now() - started) / 1000));
          await sleep(memory.intervalMs ?? 5000);
        }
      })()
    : Promise.resolve();
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${durationSec}s`, '--timeout', '10s'];
  args.push('-s', path.join(LUA_DIR, `${script}.lua`), url);
  const logFile = path.join(rawDir, `${label}.wrk.log`);
  const started = Date.now();
  const wrk = await procs.start(`wrk ${label}`, wrkBin, args, {
    cpu: wrkCpu,
    logFile,
    env: { WRK_LUA_DIR: LUA_DIR, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) },
  });
  const wrkUsage = procs.followCpu(wrk.pid);
  const exitCode = await wrk.exitedPromise;
  const generatorSec = wrkUsage.stop();
  const wallSec = (Date.now() - started) / 1000;
  const cpuAfter = {
    server: procs.cpuSeconds(server?.pid),
    machine: procs.machineCpu(),
    watch: watch.map((h) => procs.cpuSeconds(h.pid)),
  };
  sampling = false;
  await Promise.all([sampler, memorySampler]);
  if (memory) memorySamples.push(await memorySample(server.pid, memory.metricsUrl, wallSec));
  let postgresSec = 0;
  for (const [pid, startSec] of backendStart)
    postgresSec += Math.max(0, (procs.cpuSeconds(pid) ?? startSec) - startSec);
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  const line = log.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (!line) throw new Error(`wrk ${label} printed no result (exit ${exitCode}); see ${logFile}`);
  const result = JSON.parse(line.slice('WRK_RESULT '.length));
  const runSec = result.durationUs / 1e6;
  return {
    label,
    result,
    exitCode,
    runSec,
    maxConnections,
    listenOverflows: procs.listenOverflows() - overflowsBefore,
    memory: memory ? memorySamples : undefined,
    cpu: {
      serverSec: server ? (cpuAfter.server ?? 0) - (cpuBefore.server ?? 0) : undefined,
      generatorSec,
      watchSec: watch.map((_, i) => (cpuAfter.watch[i] ?? 0) - (cpuBefore.watch[i] ?? 0)),
      machineBusySec: cpuAfter.machine.busy - cpuBefore.machine.busy,
      postgresSec,
      storesSec: Object.fromEntries(
        Object.entries(storePids).map(([n, pid]) => [n, (procs.cpuSeconds(pid) ?? 0) - (storesBefore[n] ?? 0)]),
      ),
      wallSec,
    },
  };
}

/** RSS from /proc, V8 heap in use and total from the process's own /metrics (prom-client's default metrics). */
async function memorySample(pid, metricsUrl, atSec) {
  const sample = { atSec, rss: rssBytes(pid), heapUsed: undefined, heapTotal: undefined };
  try {
    const text = await (await fetch(metricsUrl)).text();
    const read = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
    sample.heapUsed = read('nodejs_heap_size_used_bytes');
    sample.heapTotal = read('nodejs_heap_size_total_bytes');
  } catch {
    // the sample keeps its RSS
  }
  return sample;
}

module.exports = { runWrk, rssBytes, memorySample };
