/** One metric family as scraped: its type and the label names seen on its samples (none when unobserved). */
export interface ScrapedFamily {
  readonly type: string;
  readonly labels: Set<string>;
}

/**
 * Reads the Prometheus text format into series names (histograms and summaries expanded to _bucket/_sum/_count,
 * as PromQL sees them) with the label names of each.
 */
export function parseExposition(text: string): Map<string, ScrapedFamily> {
  const series = new Map<string, ScrapedFamily>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type?.[1] !== undefined && type[2] !== undefined) {
      types.set(type[1], type[2]);
      const suffixes =
        type[2] === 'histogram' ? ['_bucket', '_sum', '_count'] : type[2] === 'summary' ? ['', '_sum', '_count'] : [''];
      for (const s of suffixes) series.set(type[1] + s, { type: type[2], labels: new Set() });
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (sample?.[1] === undefined) continue;
    const family = series.get(sample[1]) ?? { type: types.get(sample[1]) ?? 'untyped', labels: new Set<string>() };
    for (const m of (sample[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*"/g))
      if (m[1] !== undefined) family.labels.add(m[1]);
    series.set(sample[1], family);
  }
  return series;
}
