'use strict';
// Just enough of the Prometheus text format to diff counters and histograms between two scrapes.

async function scrape(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return parse(await response.text());
}

function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

const matches = (labels, filter) => Object.entries(filter).every(([key, value]) => labels[key] === value);

function sum(samples, name, filter = {}) {
  return samples.filter((s) => s.name === name && matches(s.labels, filter)).reduce((total, s) => total + s.value, 0);
}

/** Sum of `name` after minus before (counters only go up while the process lives). */
function delta(before, after, name, filter = {}) {
  return sum(after, name, filter) - sum(before, name, filter);
}

/**
 * histogram_quantile over the increase between two scrapes: linear interpolation inside the bucket, as
 * Prometheus does. Returns undefined when nothing was observed; the bucket's upper bound is the resolution.
 */
function histogramQuantile(before, after, name, q, filter = {}) {
  const buckets = new Map();
  for (const [samples, sign] of [
    [after, 1],
    [before, -1],
  ]) {
    for (const s of samples) {
      if (s.name !== `${name}_bucket` || !matches(s.labels, filter)) continue;
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + sign * s.value);
    }
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-9);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

module.exports = { scrape, parse, sum, delta, histogramQuantile };
