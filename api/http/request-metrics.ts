import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../../core/metrics/metrics';
import { createRouteObserver } from './route-observer';
import { trafficOf } from './traffic';

/** Label for requests no route matched (404s, and answers given by middleware such as 429 or preflights). */
export const UNMATCHED_ROUTE = 'unmatched';
/** nginx's code for "client closed the request": the response was never completed. */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * Counts every Express request when its response closes, so aborted requests are counted too (as 499). Register
 * it first so the duration covers the whole middleware chain. The lean redirect handler records its own requests
 * through the same route observer.
 */
export function requestMetrics(metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>): RequestHandler {
  const observe = createRouteObserver(metrics);
  return (req, res, next) => {
    const start = performance.now();
    const route = captureRoute(req);
    res.once('close', () => {
      const label = route();
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      // A request that failed before any route matched (a guard, a body parser) still belongs to the API it asked.
      const traffic = label === UNMATCHED_ROUTE ? trafficOf(req.originalUrl, status) : undefined;
      observe(req.method, label, status, start, traffic);
    });
    next();
  };
}

/**
 * The matched route template (`/v1/links/:phrase`), never the raw path, whose phrases would make one series
 * per link. It is taken when Express assigns `req.route`, because by the time the response closes an error
 * that left a mounted router has already restored `req.baseUrl` (to '' or even undefined), which would turn
 * `/v1/links/:phrase` into `/:phrase`. Routers must be mounted on literal paths: the mount point is reported
 * as matched.
 */
function captureRoute(req: Request): () => string {
  let label = UNMATCHED_ROUTE;
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') label = `${(req.baseUrl as string | undefined) ?? ''}${path}` || '/';
    },
  });
  return () => label;
}
