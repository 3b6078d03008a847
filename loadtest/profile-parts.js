#!/usr/bin/env node
'use strict';
// Splits a redirect's CPU profile (BENCH_CPU_PROF=1) into the parts of a request: what node:http and the kernel spend
// for any server (compare with the baseline's profile), and what the product adds on top. Each busy sample goes to
// one part: a socket write or a collection by its innermost frame, otherwise by the innermost product frame on
// its stack, otherwise to node:http. Start-up samples (module loading) are counted apart; they fall outside the
// measured window.
//   node loadtest/profile-parts.js <file.cpuprofile> [µs per request, to turn shares into µs]
const fs = require('node:fs');

const PARTS = [
  ['socket writes (kernel TCP on loopback)', /^(writeLatin1String|writeUtf8String|writeBuffer|writev) /, 'inner'],
  ['garbage collection', /^\(garbage collector\)/, 'inner'],
  ['visits: batch encoding', /visit-batch-encoding/],
  ['visits: publishing, confirms (amqplib)', /amqplib|amqp-visit-publisher|batching-visit-sink|core\/messaging/],
  ['visits: building each visit (id, bot check, address)', /visit-event|visit-id|isbot|anonymise/],
  ['link lookup (L1, L2, flights)', /lru-cache|resolve-link|l1-link-cache|redis-link-cache|l2-link-payload|ioredis/],
  ['metrics (route observer, counters)', /route-observer|bound-counter|lean-histogram|prom-client/],
  ['limiter, client address, path match', /ratelimit|client-ip|phrase-path|allow-list|token-bucket/],
  ['handler and what it calls in node:http', /api\/redirects|map-server|redis-server|api\/app\.js:\d+ \(anonymous\)/],
];
const START_UP = /cjs\/loader|run_main|swagger-ui|\/main\.js|service\.js/;
const SERVING = /parserOnIncoming|processTicksAndRejections|api\/redirects/;

const [file, usText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node loadtest/profile-parts.js <file.cpuprofile> [µs per request]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const frame = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url}:${n.callFrame.lineNumber + 1}`;

const counts = new Map();
let busy = 0;
let startUp = 0;
for (const id of profile.samples) {
  if (nodes.get(id).callFrame.functionName === '(idle)') continue;
  const stack = [];
  for (let at = id; at !== undefined; at = parent.get(at)) stack.push(frame(nodes.get(at)));
  if (stack.some((f) => START_UP.test(f)) && !stack.some((f) => SERVING.test(f))) {
    startUp += 1;
    continue;
  }
  busy += 1;
  let part = PARTS.find(([, re, where]) => where === 'inner' && re.test(stack[0]))?.[0];
  for (let i = 0; part === undefined && i < stack.length; i += 1)
    part = PARTS.find(([, re, where]) => where === undefined && re.test(stack[i]))?.[0];
  part ??= 'node:http request/response machinery';
  counts.set(part, (counts.get(part) ?? 0) + 1);
}
const us = Number(usText);
process.stdout.write(`${file}: ${busy} busy samples while serving (${startUp} at start-up, left out)\n\n`);
process.stdout.write(`| part | share${us ? ' | µs per request' : ''} |\n|---|---:${us ? '|---:' : ''}|\n`);
for (const [part, n] of [...counts].sort((a, b) => b[1] - a[1])) {
  const share = n / busy;
  process.stdout.write(`| ${part} | ${(100 * share).toFixed(1)} %${us ? ` | ${(share * us).toFixed(1)}` : ''} |\n`);
}
