import type { TrafficClass } from '../../core/metrics/metrics';

/** Route labels of the lean redirect handler (api/redirects/phrase-path.ts). */
export const REDIRECT_ROUTES: readonly string[] = ['/:phrase', '/v1/redirects/:phrase'];

/**
 * The `traffic` label of a request, from its route template (or, for a request no route matched, its path) and
 * status. 404, 410 and 429 are `other` whatever the route: an unknown or taken-down phrase and a client over its
 * limit are answered correctly, and counting them would flatter the latency and dilute the error ratio of real
 * traffic.
 */
export function trafficOf(routeOrPath: string, status: number): TrafficClass {
  if (status === 404 || status === 410 || status === 429) return 'other';
  if (REDIRECT_ROUTES.includes(routeOrPath) || routeOrPath.startsWith('/v1/redirects/')) return 'redirect';
  if (routeOrPath.startsWith('/v1/') || routeOrPath.startsWith('/s/')) return 'api';
  return 'other';
}
