import { bindCounter, type BoundCounter } from '../../core/metrics/bound-counter';
import type { HistogramSeries } from '../../core/metrics/lean-histogram';
import type { Metrics, TrafficClass } from '../../core/metrics/metrics';
import { trafficOf } from './traffic';

/** Records one request of a (method, route) pair: its status and when it started (`performance.now()`). */
export type BoundRouteObserver = (status: number, startedMs: number) => void;

export interface RouteObserver {
  (
    method: string,
    route: string,
    status: number,
    startedMs: number,
    /** Only where the route template cannot tell (requests no route matched); see trafficOf. */
    traffic?: TrafficClass,
  ): void;
  /** The same for one (method, route) whose template tells its traffic class, resolved once: what a hot path keeps. */
  bind(method: string, route: string): BoundRouteObserver;
}

interface Series {
  readonly count: BoundCounter;
  readonly duration: HistogramSeries;
}

/**
 * Records requests_total and request_duration_seconds for a route template. Series are resolved once per
 * (method, route, status, traffic) and then only counted (see `bindCounter`, `LeanHistogram`): resolving labels
 * on every request is measurable on the redirect path. The traffic class is worked out once per series.
 */
export function createRouteObserver(metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>): RouteObserver {
  const routes = new Map<string, Map<string, Series>>();

  function series(method: string, route: string, status: number, traffic: TrafficClass): Series {
    const labels = { method, route, traffic };
    return {
      count: bindCounter(metrics.requestsTotal, { ...labels, status_code: String(status) }),
      duration: metrics.requestDuration.labels(labels),
    };
  }

  function bind(method: string, route: string): BoundRouteObserver {
    const byStatus = new Map<number, Series>();
    return (status, startedMs) => {
      let found = byStatus.get(status);
      if (found === undefined) {
        found = series(method, route, status, trafficOf(route, status));
        byStatus.set(status, found);
      }
      found.count.inc();
      found.duration.observe((performance.now() - startedMs) / 1000);
    };
  }

  const observe = (method: string, route: string, status: number, startedMs: number, traffic?: TrafficClass) => {
    const routeKey = `${method} ${route}`;
    let byStatus = routes.get(routeKey);
    if (byStatus === undefined) {
      byStatus = new Map();
      routes.set(routeKey, byStatus);
    }
    const key = traffic === undefined ? String(status) : `${status} ${traffic}`;
    let found = byStatus.get(key);
    if (found === undefined) {
      found = series(method, route, status, traffic ?? trafficOf(route, status));
      byStatus.set(key, found);
    }
    found.count.inc();
    found.duration.observe((performance.now() - startedMs) / 1000);
  };
  return Object.assign(observe, { bind });
}
