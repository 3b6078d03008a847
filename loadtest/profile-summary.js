#!/usr/bin/env node
'use strict';
// Summarises a V8 .cpuprofile (node --cpu-prof; BENCH_CPU_PROF=1 makes the runner write one per api process):
// self time by function and by package/folder, so a slow path can be named without a GUI.
//   node loadtest/profile-summary.js <file.cpuprofile> [top=25]
const fs = require('node:fs');

const [file, topText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node loadtest/profile-summary.js <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topText || 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
// Percentages are of busy samples: (idle) is time the process waited for work, which says nothing about cost.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const all = profile.samples.length;
const total = profile.samples.filter((id) => !idleIds.has(id)).length;

function where(url) {
  if (!url) return '(native/v8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return url;
  const dist = /\/dist\/(.+)$/.exec(url);
  return dist ? dist[1].split('/').slice(0, 2).join('/') : url.split('/').slice(-2).join('/');
}

const byFunction = new Map();
const byPlace = new Map();
for (const [id, ticks] of selfTicks) {
  if (idleIds.has(id)) continue;
  const { callFrame } = nodes.get(id);
  const place = where(callFrame.url);
  const fn = `${callFrame.functionName || '(anonymous)'} ${place}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ticks);
  byPlace.set(place, (byPlace.get(place) ?? 0) + ticks);
}
// Inclusive time: each busy sample counts once for every distinct function on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const label = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const inclusive = new Map();
for (const [id, ticks] of selfTicks) {
  if (idleIds.has(id)) continue;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(nodes.get(at));
    if (seen.has(name) || name.startsWith('(root)')) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + ticks);
  }
}
const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, ticks] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * ticks) / total).toFixed(1).padStart(6)} %  ${name}\n`);
  }
};
process.stdout.write(
  `${file}: ${all} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, ${total} busy (${((100 * total) / all).toFixed(1)} %); shares below are of busy samples\n`,
);
print('self time by package / folder', byPlace);
print('self time by function', byFunction);
print('inclusive time by function (self + callees)', inclusive);
