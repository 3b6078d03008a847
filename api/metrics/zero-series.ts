import { languages, themes } from '../../core/catalogue/catalogue';
import { VISIT_PUBLISH_OUTCOMES, type Metrics } from '../../core/metrics/metrics';
import { REDIRECT_ROUTES, trafficOf } from '../http/traffic';

/** One method and route template with every status it is known to answer. */
export interface KnownRequest {
  readonly method: string;
  readonly route: string;
  readonly statuses: readonly number[];
}

/** The part of an OpenAPI document read here: each path's operations and their documented responses. */
export interface OpenApiPaths {
  readonly paths?: Record<string, Record<string, { readonly responses?: Record<string, unknown> }>>;
}

/** What any route may answer besides what it documents: an unexpected error, a dependency that is down. */
const ANY_ROUTE = [500, 503];

/** Routes of the public port that serve probes and browsers, so the OpenAPI document leaves them out. */
const UNDOCUMENTED: readonly KnownRequest[] = [
  { method: 'GET', route: '/health', statuses: [200] },
  { method: 'GET', route: '/ready', statuses: [200, 503] },
  { method: 'GET', route: '/s/:phrase', statuses: [200, 404, 429] },
  { method: 'GET', route: '/docs', statuses: [200] },
  { method: 'GET', route: '/openapi/v1.json', statuses: [200] },
];

/**
 * Every (method, route, status) the api is known to answer: the responses its OpenAPI document declares (the
 * redirect's 301 replaced by the configured status, HEAD beside GET on the redirect routes, which answer both),
 * the operational routes, and 500/503 on each.
 */
export function knownRequests(document: OpenApiPaths, redirectStatus: number): KnownRequest[] {
  const known: KnownRequest[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    const route = path.replace(/\{([^}]+)\}/g, ':$1');
    const redirect = REDIRECT_ROUTES.includes(route);
    for (const [method, operation] of Object.entries(operations)) {
      const documented = Object.keys(operation.responses ?? {})
        .map(Number)
        .filter((status) => Number.isInteger(status))
        .map((status) => (redirect && status >= 300 && status < 400 ? redirectStatus : status));
      const statuses = [...new Set([...documented, ...ANY_ROUTE])].sort((a, b) => a - b);
      known.push({ method: method.toUpperCase(), route, statuses });
      if (redirect && method === 'get') known.push({ method: 'HEAD', route, statuses });
    }
  }
  for (const request of UNDOCUMENTED) {
    known.push({ ...request, statuses: [...new Set([...request.statuses, ...ANY_ROUTE])].sort((a, b) => a - b) });
  }
  return known;
}

/**
 * Creates at 0 every series of the api whose labels are known before its first request: the request counters
 * and histograms of `known`, links created and visits counted per language and theme, and each publishing
 * outcome. A series that first appears with its first increment hides that increment from `rate()`.
 */
export function zeroApiSeries(
  metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration' | 'linksCreated' | 'linkVisits' | 'visitsPublished'>,
  known: readonly KnownRequest[],
): void {
  for (const { method, route, statuses } of known) {
    for (const status of statuses) {
      const traffic = trafficOf(route, status);
      metrics.requestsTotal.inc({ method, route, status_code: String(status), traffic }, 0);
      metrics.requestDuration.zero({ method, route, traffic });
    }
  }
  for (const language of languages) {
    for (const theme of themes) {
      metrics.linksCreated.inc({ language: language.code, theme: theme.name }, 0);
      for (const bot of ['true', 'false']) {
        metrics.linkVisits.inc({ language: language.code, theme: theme.name, bot }, 0);
      }
    }
  }
  for (const outcome of VISIT_PUBLISH_OUTCOMES) metrics.visitsPublished.inc({ outcome }, 0);
}
