import type { Counter, Histogram } from 'prom-client';
import type { Metrics, TrafficClass } from '../../core/metrics/metrics';
import { trafficOf } from './traffic';

interface Children {
  readonly count: ReturnType<Counter<'method' | 'route' | 'status_code' | 'traffic'>['labels']>;
  readonly duration: ReturnType<Histogram<'method' | 'route' | 'traffic'>['labels']>;
}

export type RouteObserver = (
  method: string,
  route: string,
  status: number,
  startedMs: number,
  /** Only where the route template cannot tell (requests no route matched); see trafficOf. */
  traffic?: TrafficClass,
) => void;

/**
 * Records requests_total and request_duration_seconds for a route template. Label children are cached
 * per (method, route, status) because resolving labels on every request is measurable on the redirect path;
 * the traffic class is worked out once per child.
 */
export function createRouteObserver(metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>): RouteObserver {
  const children = new Map<string, Children>();
  return (method, route, status, startedMs, traffic) => {
    const key = traffic === undefined ? `${method} ${route} ${status}` : `${method} ${route} ${status} ${traffic}`;
    let child = children.get(key);
    if (!child) {
      const labels = { method, route, traffic: traffic ?? trafficOf(route, status) };
      child = {
        count: metrics.requestsTotal.labels({ ...labels, status_code: String(status) }),
        duration: metrics.requestDuration.labels(labels),
      };
      children.set(key, child);
    }
    child.count.inc();
    child.duration.observe((performance.now() - startedMs) / 1000);
  };
}
