'use strict';
// loadtest/results/cluster-<date>.md from every scenario result of that date (raw/cluster-<date>/*.result.json),
// with the charts drawn by plot.py into cluster-<date>/. Hand-written findings, when the file
// cluster-<date>.notes.md exists beside the report, are included after the tables.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { apiStepFacts, workerBacklogFacts, chaosFacts, total } = require('./verdicts');

const f = (v, digits = 0, unit = '') =>
  v === undefined || v === null || !Number.isFinite(v) ? '–' : `${v.toFixed(digits)}${unit}`;
const statuses = (byStatus) =>
  total(byStatus) === 0
    ? '0'
    : Object.entries(byStatus)
        .map(([st, n]) => `${n} × ${st === '0' ? 'no answer' : st}`)
        .join(', ');
const verdict = (v) => (v === 'met' ? 'met' : `**${v}**`);
const MODES = { keda: 'KEDA', hpa: 'HPA + prometheus-adapter' };

function load(rawDir) {
  if (!fs.existsSync(rawDir)) return [];
  return fs
    .readdirSync(rawDir)
    .filter((n) => n.endsWith('.result.json'))
    .map((n) => ({ file: path.join(rawDir, n), ...JSON.parse(fs.readFileSync(path.join(rawDir, n), 'utf8')) }));
}

function scaleSection(results) {
  const lines = ['## Scaling', ''];
  const steps = results.filter((r) => r.id === 'api-step');
  if (steps.length) {
    lines.push(
      '| mode | load step | replicas (min → max) | to ≥ 3 ready | pods taking traffic (peak req/s each) | p95 peak → under target | back to min after the load (window) | failed requests | verdict |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of steps) {
      const x = apiStepFacts(r);
      const pods = Object.entries(x.podPeak)
        .map(([pod, rps]) => `${pod.split('-').at(-1)} ${f(rps)}`)
        .join(', ');
      lines.push(
        `| ${MODES[r.mode]} | ${r.config.trickle} → ${r.config.step} redirects/s for ${r.config.stepSec} s${r.k6.dropped ? ` (${r.k6.dropped} arrivals k6 had no free VU for)` : ''} | ${x.min} → ${x.maxReady} | ${f(x.toThree, 0, ' s')} | ${x.servingPods}: ${pods} | ${f(x.peakP95 * 1000, 0, ' ms')} → under ${f(x.target * 1000, 0, ' ms')} ${x.underAgain === undefined ? '**never**' : `after ${f(x.underAgain, 0, ' s')}`} | ${f(x.backToMin, 0, ' s')} (${f(x.window, 0, ' s')}) | ${statuses(x.fails)} | ${verdict(x.verdict)} |`,
      );
    }
    lines.push('');
  }
  const backlogs = results.filter((r) => r.id === 'worker-backlog');
  if (backlogs.length) {
    lines.push(
      '| mode | backlog | peak ready messages | worker replicas (max) | drained after release | back to min after the load (window) | visits | verdict |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of backlogs) {
      const x = workerBacklogFacts(r);
      lines.push(
        `| ${MODES[r.mode]} | ${r.config.rate} redirects/s, worker held at 0 for ${r.config.holdSec} s | ${f(x.peakDepth)} | ${x.maxWorkers} | ${f(x.drainSec, 0, ' s')} | ${f(x.backToMin, 0, ' s')} (${f(x.window, 0, ' s')}) | ${x.visits.text} | ${verdict(x.verdict)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

function chaosSection(results) {
  const chaos = results.filter((r) => r.kind === 'chaos');
  if (!chaos.length) return [];
  const c = chaos[0].config;
  const lines = [
    '## Failures',
    '',
    `Each under ${c.redirectRate} redirects/s + ${c.createRate} creations/s for ${c.loadSec} s, the fault at ${c.faultAtSec} s.`,
    '',
    '| mode | what was done | recovered when | recovery time | failed redirects | failed creations | failures seen (from → to) | visits stored vs served | verdict |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of chaos) {
    const x = chaosFacts(r);
    const window = x.window ? `${f(x.window.first - r.faultAt, 0)} s → ${f(x.window.last - r.faultAt, 0)} s` : 'none';
    const slow = x.createFailedMs
      ? ` (answered in p95 ${f(x.createFailedMs.p95, 0, ' ms')}, max ${f(x.createFailedMs.max, 0, ' ms')})`
      : '';
    lines.push(
      `| ${MODES[r.mode]} | ${r.title} | ${r.recoveredWhen} | ${r.promotedSec === undefined ? '' : `promoted after ${f(r.promotedSec, 0, ' s')}, `}${f(r.recoverySec, 0, ' s')} | ${statuses(x.redirects)} | ${statuses(x.creates)}${slow} | ${window} | ${x.visits.text} | ${verdict(x.verdict)} |`,
    );
  }
  lines.push('', 'Failure times are relative to the fault; the charts mark it with a red line.', '');
  return lines;
}

function charts(results, chartDir, python) {
  if (!python) return { ok: false, why: 'PLOT_PYTHON is not set' };
  const out = spawnSync(python, [path.join(__dirname, 'plot.py'), chartDir, ...results.map((r) => r.file)], {
    encoding: 'utf8',
  });
  return out.status === 0 ? { ok: true } : { ok: false, why: out.stderr.slice(-2000) };
}

async function writeReport({ rawDir, resultsDir, date, python }) {
  const results = load(rawDir).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const name = `cluster-${date}`;
  const chartDir = path.join(resultsDir, name);
  const drawn = charts(results, chartDir, python);
  const notesFile = path.join(resultsDir, `${name}.notes.md`);
  const header = fs.readFileSync(path.join(__dirname, 'report-header.md'), 'utf8');
  const first = results[0]?.startedAt;
  const last = results.at(-1)?.finishedAt;
  const lines = [
    `# offndat on a cluster: scaling and failures, ${date}`,
    '',
    `${results.length} scenarios, ${first?.slice(11, 16) ?? '?'}–${last?.slice(11, 16) ?? '?'} UTC, \`make kind-scale\` and \`make kind-chaos\`. ${header.trim()}`,
    '',
    ...scaleSection(results),
    ...chaosSection(results),
  ];
  if (fs.existsSync(notesFile)) lines.push(fs.readFileSync(notesFile, 'utf8').trim(), '');
  lines.push('## Timelines', '');
  if (!drawn.ok) lines.push(`Charts could not be drawn: ${drawn.why}`, '');
  for (const r of results) {
    lines.push(`### ${MODES[r.mode]}: ${r.title}`, '', `![${r.label}](${name}/${r.label}.png)`, '');
  }
  const file = path.join(resultsDir, `${name}.md`);
  fs.writeFileSync(file, `${lines.join('\n').trim()}\n`);
  return file;
}

module.exports = { writeReport };
