import { bindCounter, type BoundCounter } from '../../metrics/bound-counter';
import type { Metrics } from '../../metrics/metrics';

const OUTCOMES = [
  ['l1', 'hit'],
  ['l1', 'miss'],
  ['l1', 'negative_hit'],
  ['l2', 'hit'],
  ['l2', 'miss'],
  ['l2', 'negative_hit'],
  // A lookup Redis could not answer (down, slow, or a garbage value); the redirect went on to the database.
  ['l2', 'error'],
  ['db', 'hit'],
  ['db', 'miss'],
] as const;

type Outcome = (typeof OUTCOMES)[number];
export type CacheCounters = Record<`${Outcome[0]}_${Outcome[1]}`, BoundCounter>;

/** Bound once so call sites name an outcome that exists; the series start at 0 so ratios work from the start. */
export function bindCacheCounters(metrics: Pick<Metrics, 'cacheRequests'>): CacheCounters {
  const counters: Partial<Record<string, BoundCounter>> = {};
  for (const [level, result] of OUTCOMES) {
    metrics.cacheRequests.inc({ level, result }, 0);
    counters[`${level}_${result}`] = bindCounter(metrics.cacheRequests, { level, result });
  }
  return counters as CacheCounters;
}
