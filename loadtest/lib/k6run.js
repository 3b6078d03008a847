'use strict';
// One measured k6 run: waits for a quiet machine, samples database connections while k6 runs, and records
// the CPU used by the server, k6 and the whole machine. The k6 summary JSON is read back for the numbers.
const fs = require('node:fs');
const path = require('node:path');
const procs = require('./procs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the machine's busy cores, over 2 s windows, fall under `maxCores` (other jobs share it), or gives
 * up after `maxWaitSec`. Returns the last busy figure and whether the gate opened.
 */
async function waitForQuietMachine({ maxCores, maxWaitSec }) {
  const deadline = Date.now() + maxWaitSec * 1000;
  for (;;) {
    const a = procs.machineCpu();
    await sleep(2000);
    const b = procs.machineCpu();
    const busy = (b.busy - a.busy) / 2;
    if (busy < maxCores) return { busyCores: busy, quiet: true };
    if (Date.now() >= deadline) return { busyCores: busy, quiet: false };
  }
}

function metricValues(summary, name) {
  return summary.metrics[name]?.values;
}

/**
 * Runs `script` with k6 (pinned to `k6Cpu`), returning the parsed summary plus what was sampled meanwhile.
 * `server` is the handle of the process under test (for its CPU), `watch` other handles (worker).
 */
async function runK6({ k6Bin, script, env, label, rawDir, k6Cpu, server, watch = [], monitor, gate, storePids = {} }) {
  const summaryFile = path.join(rawDir, `${label}.summary.json`);
  const gateResult = gate ? await waitForQuietMachine(gate) : { busyCores: undefined, quiet: true };
  const cpuBefore = {
    server: procs.cpuSeconds(server?.pid),
    machine: procs.machineCpu(),
    watch: watch.map((h) => procs.cpuSeconds(h.pid)),
  };
  const overflowsBefore = procs.listenOverflows();
  const storesBefore = Object.fromEntries(
    Object.entries(storePids).map(([name, pid]) => [name, procs.cpuSeconds(pid)]),
  );
  // PostgreSQL backends of the run's database: CPU from when each is first seen (pools keep them open).
  const backendStart = new Map();
  const noteBackends = (pids) => {
    for (const pid of pids) if (!backendStart.has(pid)) backendStart.set(pid, procs.cpuSeconds(pid) ?? 0);
  };
  let maxConnections = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const pids = await monitor.backends();
        noteBackends(pids);
        maxConnections = Math.max(maxConnections, pids.length);
      } catch {
        // a failed sample is just skipped
      }
      await sleep(250);
    }
  })();
  const k6Env = { ...env, SUMMARY_FILE: summaryFile, K6_NO_USAGE_REPORT: 'true' };
  const args = [
    'run',
    '--quiet',
    '--no-color',
    ...Object.entries(k6Env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    script,
  ];
  const started = Date.now();
  const k6 = await procs.start(`k6 ${label}`, k6Bin, args, {
    cpu: k6Cpu,
    logFile: path.join(rawDir, `${label}.k6.log`),
    env: { K6_NO_USAGE_REPORT: 'true' },
  });
  const k6Usage = procs.followCpu(k6.pid);
  const exitCode = await k6.exitedPromise;
  const k6Sec = k6Usage.stop();
  const wallSec = (Date.now() - started) / 1000;
  sampling = false;
  await sampler;
  const cpuAfter = {
    server: procs.cpuSeconds(server?.pid),
    machine: procs.machineCpu(),
    watch: watch.map((h) => procs.cpuSeconds(h.pid)),
  };
  const listenOverflows = procs.listenOverflows() - overflowsBefore;
  let postgresSec = 0;
  for (const [pid, startSec] of backendStart)
    postgresSec += Math.max(0, (procs.cpuSeconds(pid) ?? startSec) - startSec);
  const storesSec = Object.fromEntries(
    Object.entries(storePids).map(([name, pid]) => [name, (procs.cpuSeconds(pid) ?? 0) - (storesBefore[name] ?? 0)]),
  );
  if (!fs.existsSync(summaryFile))
    throw new Error(`k6 ${label} wrote no summary (exit ${exitCode}); see ${path.join(rawDir, `${label}.k6.log`)}`);
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  const runSec = (summary.state?.testRunDurationMs ?? wallSec * 1000) / 1000;
  return {
    label,
    summary,
    exitCode,
    runSec,
    gate: gateResult,
    maxConnections,
    listenOverflows,
    cpu: {
      serverSec: server ? (cpuAfter.server ?? 0) - (cpuBefore.server ?? 0) : undefined,
      k6Sec,
      watchSec: watch.map((_, i) => (cpuAfter.watch[i] ?? 0) - (cpuBefore.watch[i] ?? 0)),
      machineBusySec: cpuAfter.machine.busy - cpuBefore.machine.busy,
      postgresSec,
      storesSec,
      wallSec,
    },
    values: (name) => metricValues(summary, name),
  };
}

module.exports = { runK6, waitForQuietMachine, sleep };
