import { bindCounter, type BoundCounter } from '../../core/metrics/bound-counter';
import type { HistogramSeries } from '../../core/metrics/lean-histogram';
import type { Metrics } from '../../core/metrics/metrics';

/** Records one request of a (method, route) pair: its status and when it started (`performance.now()`). */
export type BoundRouteObserver = (status: number, startedMs: number) => void;

export interface RouteObserver {
  (method: string, route: string, status: number, startedMs: number): void;
  /** The same for one (method, route), resolved once: what a hot path keeps. */
  bind(method: string, route: string): BoundRouteObserver;
}

/**
 * Records requests_total and request_duration_seconds for a route template. Series are resolved once per
 * (method, route, status) and then only counted (see `bindCounter`, `LeanHistogram`): resolving labels on
 * every request is measurable on the redirect path.
 */
export function createRouteObserver(metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>): RouteObserver {
  const routes = new Map<string, BoundRouteObserver>();

  function bind(method: string, route: string): BoundRouteObserver {
    const duration: HistogramSeries = metrics.requestDuration.labels(method, route);
    const byStatus = new Map<number, BoundCounter>();
    return (status, startedMs) => {
      let count = byStatus.get(status);
      if (count === undefined) {
        count = bindCounter(metrics.requestsTotal, { method, route, status_code: String(status) });
        byStatus.set(status, count);
      }
      count.inc();
      duration.observe((performance.now() - startedMs) / 1000);
    };
  }

  const observe = (method: string, route: string, status: number, startedMs: number) => {
    const key = `${method} ${route}`;
    let bound = routes.get(key);
    if (bound === undefined) {
      bound = bind(method, route);
      routes.set(key, bound);
    }
    bound(status, startedMs);
  };
  return Object.assign(observe, { bind });
}
