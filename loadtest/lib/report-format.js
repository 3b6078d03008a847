'use strict';
// Number formats and cell texts shared by the report's tables.

const int = (n) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const ms = (n) =>
  n === undefined ? '–' : n < 10 ? `${n.toFixed(2)} ms` : n < 100 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
const pct = (n, digits = 1) => (n === undefined ? '–' : `${(100 * n).toFixed(digits)} %`);
const ratio = (n) => (n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(2)}×`);
const sec = (n) => (n === undefined ? '–' : n < 1 ? `${Math.round(n * 1000)} ms` : `${n.toFixed(2)} s`);
const mib = (n) => (n === undefined || !Number.isFinite(n) ? '–' : `${(n / 2 ** 20).toFixed(0)} MiB`);
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

/** `generatorCounted`: the 301s the load generator saw, which may fall short of the served ones by those in flight. */
function visitsText(v, generatorCounted) {
  if (!v) return '–';
  const head = v.ok
    ? `OK ${int(v.stored)} = ${int(v.expected)}`
    : `MISMATCH ${int(v.stored)} stored, ${int(v.expected)} served (${v.stored - v.expected > 0 ? '+' : ''}${int(v.stored - v.expected)})`;
  const seen = generatorCounted === undefined ? '' : ` (wrk saw ${int(generatorCounted)})`;
  return `${head}${seen}${v.countersMatchRows ? '' : `; counters ${int(v.counted)} ≠ rows ${int(v.rows)}`}`;
}

const gateMark = (row) => (row.gate && !row.gate.quiet ? ' †' : '');

module.exports = { int, ms, pct, ratio, sec, mib, mean, mark, errorsText, cacheText, visitsText, gateMark };
