'use strict';
// Processes the runner starts: every one is recorded by PID and stopped by PID (SIGTERM, then SIGKILL), never by
// name. Optional CPU pinning through taskset, which execs the command, so the PID is the server's own.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const readline = require('node:readline');

const running = new Map();
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

/**
 * Starts `command args` (optionally pinned to `cpu`), copies its output to `logFile`, and resolves once a JSON
 * log line's `msg` matches `ready` (or at once when `ready` is absent), with the `port` that line carries.
 */
function start(name, command, args, { env = {}, cpu, logFile, ready, timeoutMs = 60_000, cwd } = {}) {
  const [cmd, argv] =
    cpu !== undefined && hasTaskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = logFile ? fs.createWriteStream(logFile) : undefined;
  const handle = { name, pid: child.pid, child, port: undefined, exited: false, exitCode: undefined };
  running.set(child.pid, handle);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      handle.exited = true;
      handle.exitCode = code ?? signal;
      running.delete(child.pid);
      resolve(handle.exitCode);
    });
  });
  handle.exitedPromise = exited;
  child.stderr.on('data', (chunk) => log?.write(chunk));
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(handle);
    };
    const timer = setTimeout(
      () => finish(new Error(`${name} not ready within ${timeoutMs} ms (log: ${logFile})`)),
      timeoutMs,
    );
    lines.on('line', (line) => {
      log?.write(`${line}\n`);
      if (!ready || done) return;
      try {
        const entry = JSON.parse(line);
        if (typeof entry.msg === 'string' && ready.test(entry.msg)) {
          handle.port = entry.port;
          handle.metricsPort = entry.metricsPort;
          finish();
        }
      } catch {
        // not a JSON log line
      }
    });
    exited.then((code) => finish(new Error(`${name} exited (${code}) before it was ready (log: ${logFile})`)));
    if (!ready) finish();
  });
}

/** Runs to completion; resolves with the exit code (k6 exits non-zero when a threshold fails, which is ours to judge). */
async function run(name, command, args, options) {
  const handle = await start(name, command, args, options);
  return handle.exitedPromise;
}

async function stop(handle, graceMs = 15_000) {
  if (!handle || handle.exited) return;
  try {
    process.kill(handle.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  if ((await Promise.race([handle.exitedPromise, timer])) === 'timeout') {
    try {
      process.kill(handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await handle.exitedPromise;
  }
}

async function stopAll() {
  await Promise.all([...running.values()].map((handle) => stop(handle)));
}

/** Synchronous last resort when the runner itself is being torn down. */
function killAllNow() {
  for (const handle of running.values()) {
    try {
      process.kill(handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU seconds (user + system) used so far by one process; undefined once it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * Follows a process's CPU seconds every 200 ms, so that what it used is known after it exits (its /proc entry is gone
 * by then). `stop()` ends the polling and returns the seconds used since the call.
 */
function followCpu(pid) {
  const first = cpuSeconds(pid) ?? 0;
  let last = first;
  const poll = setInterval(() => {
    last = cpuSeconds(pid) ?? last;
  }, 200);
  return {
    stop() {
      clearInterval(poll);
      return last - first;
    },
  };
}

/** Busy and total CPU seconds of the whole machine since boot (all cores). */
function machineCpu() {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / CLOCK_TICKS, total: (busy + idle + iowait) / CLOCK_TICKS };
}

/** PID of the process listening on a loopback TCP port (the shared stores), for reading its CPU time. */
function pidListeningOn(port) {
  const out = spawnSync('ss', ['-ltnpH', `sport = :${port}`]).stdout?.toString() ?? '';
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

/** Kernel count of connections dropped because a listen queue was full (TcpExt ListenOverflows), machine-wide. */
function listenOverflows() {
  const lines = fs
    .readFileSync('/proc/net/netstat', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('TcpExt:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const at = names.indexOf('ListenOverflows');
  return at > 0 ? Number(values[at]) : 0;
}

module.exports = {
  followCpu,
  listenOverflows,
  pidListeningOn,
  start,
  run,
  stop,
  stopAll,
  killAllNow,
  cpuSeconds,
  machineCpu,
  hasTaskset,
};
