import type { Counter, LabelValues } from 'prom-client';

/** A counter series resolved once: `inc` adds to a number, which reaches prom-client when the registry is read. */
export interface BoundCounter {
  inc(by?: number): void;
}

interface Child<T extends string> extends BoundCounter {
  readonly labels: LabelValues<T>;
  pending: number;
}

const children = new WeakMap<object, Array<Child<string>>>();

/**
 * prom-client hashes and validates the labels on every `inc`, even through `labels(...)`: about 250 ns, several
 * times per redirect. A bound series only counts; `flushBoundCounters` (the metric's `collect`, run before
 * every scrape and every `get()`) hands the sum over, so the exported values are exact whenever they are read.
 * The metric must be created with `collect() { flushBoundCounters(this) }` (see `createMetrics`).
 */
export function bindCounter<T extends string>(counter: Counter<T>, labels: LabelValues<T>): BoundCounter {
  const child: Child<T> = {
    labels,
    pending: 0,
    inc(by = 1) {
      this.pending += by;
    },
  };
  let list = children.get(counter);
  if (!list) {
    list = [];
    children.set(counter, list);
  }
  list.push(child);
  return child;
}

export function flushBoundCounters<T extends string>(counter: Counter<T>): void {
  for (const child of children.get(counter) ?? []) {
    if (child.pending === 0) continue;
    const pending = child.pending;
    child.pending = 0;
    counter.inc(child.labels as LabelValues<T>, pending);
  }
}
