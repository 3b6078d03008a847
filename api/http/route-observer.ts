import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../../core/metrics/metrics';

interface Children {
  readonly count: ReturnType<Counter<'method' | 'route' | 'status_code'>['labels']>;
  readonly duration: ReturnType<Histogram<'method' | 'route'>['labels']>;
}

/**
 * Records requests_total and request_duration_seconds for a route template. Label children are cached
 * per (method, route, status) because resolving labels on every request is measurable on the redirect path.
 */
export function createRouteObserver(
  metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>,
): (method: string, route: string, status: number, startedMs: number) => void {
  const children = new Map<string, Children>();
  return (method, route, status, startedMs) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      child = {
        count: metrics.requestsTotal.labels(method, route, String(status)),
        duration: metrics.requestDuration.labels(method, route),
      };
      children.set(key, child);
    }
    child.count.inc();
    child.duration.observe((performance.now() - startedMs) / 1000);
  };
}
