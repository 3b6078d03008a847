'use strict';
// k6 on this machine, against the api Service on 127.0.0.1 only (loadtest/k6/cluster.js): started by PID, bounded by
// its stages, read while it runs through its REST API (on 127.0.0.1 too) and from its summary when it ends.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const procs = require('../lib/procs');

const SCRIPT = path.join(__dirname, '..', 'k6', 'cluster.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** {redirect: {301: n, ...}, create: {201: n, ...}, createFailedNotProblem, createFailedMs} from k6 metric values. */
function toCounters(values) {
  const out = { redirect: {}, create: {}, createFailedNotProblem: 0, createFailedMs: undefined };
  for (const [name, v] of Object.entries(values)) {
    const match = /^(redirect|create)_status_(\w+)$/.exec(name);
    if (match && v.count) out[match[1]][match[2]] = v.count;
    if (name === 'create_failed_not_problem') out.createFailedNotProblem = v.count ?? 0;
    if (name === 'create_failed_duration' && v.count !== 0) out.createFailedMs = { p95: v['p(95)'], max: v.max };
  }
  return out;
}

/** Total seconds of "<n>s:<rate>" stages. */
const stagesSeconds = (spec) =>
  (spec || '').split(',').reduce((total, s) => total + (Number.parseFloat(s.split(':')[0]) || 0), 0);

/**
 * Starts k6. `redirectStages` / `createStages`: "<seconds>s:<rate>,..." (see the script). Resolves once k6's REST
 * API answers; `done()` resolves with the summary's counters when k6 exits.
 */
async function startLoad({ k6Bin, baseUrl, apiKey, links, redirectStages, createStages, rawDir, label, maxVus }) {
  const linksFile = path.join(rawDir, `${label}.links.json`);
  const summaryFile = path.join(rawDir, `${label}.k6-summary.json`);
  fs.writeFileSync(linksFile, JSON.stringify(links));
  const port = await freePort();
  const env = {
    BASE_URL: baseUrl,
    LINKS_FILE: linksFile,
    API_KEY: apiKey,
    REDIRECT_STAGES: redirectStages,
    CREATE_STAGES: createStages ?? '',
    SUMMARY_FILE: summaryFile,
    MAX_VUS: String(maxVus ?? 600),
    K6_NO_USAGE_REPORT: 'true',
  };
  const handle = await procs.start('k6', k6Bin, ['run', '--quiet', '--address', `127.0.0.1:${port}`, SCRIPT], {
    env,
    logFile: path.join(rawDir, `${label}.k6.log`),
  });
  const api = `http://127.0.0.1:${port}/v1/metrics`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(api)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (handle.exited) throw new Error(`k6 exited (${handle.exitCode}); see ${label}.k6.log`);
    if (Date.now() > deadline) throw new Error('k6 REST API did not answer');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = Math.max(stagesSeconds(redirectStages), stagesSeconds(createStages));
  return {
    seconds,
    async counters() {
      const body = await fetch(api, { signal: AbortSignal.timeout(2000) }).then((r) => r.json());
      const values = {};
      for (const m of body.data ?? []) values[m.id] = m.attributes?.sample ?? {};
      return toCounters(values);
    },
    async done() {
      const code = await handle.exitedPromise;
      if (!fs.existsSync(summaryFile)) throw new Error(`k6 exited (${code}) without a summary`);
      const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
      const values = Object.fromEntries(Object.entries(summary.metrics).map(([k, m]) => [k, m.values]));
      const latency = (kind) => summary.metrics[`http_req_duration{kind:${kind}}`]?.values;
      return {
        ...toCounters(values),
        // Arrivals k6 could not start because every VU was busy: load offered but never sent.
        dropped: values.dropped_iterations?.count ?? 0,
        latency: { redirect: latency('redirect'), create: latency('create') },
      };
    },
    stop: () => procs.stop(handle),
  };
}

module.exports = { startLoad, stagesSeconds };
