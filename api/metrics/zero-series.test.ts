import { createMetrics } from '../../core/metrics/metrics';
import { buildOpenApiDocument } from '../docs/openapi';
import { knownRequests, zeroApiSeries, type OpenApiPaths } from './zero-series';

const document = buildOpenApiDocument('http://localhost:8080') as OpenApiPaths;

describe('knownRequests', () => {
  it('lists every documented response of the API, and a 500 and 503 for each route', () => {
    const known = knownRequests(document, 301);
    const stats = known.find((k) => k.method === 'GET' && k.route === '/v1/links/:phrase');

    expect(stats?.statuses).toEqual(expect.arrayContaining([200, 401, 404, 429, 500, 503]));
    expect(known.find((k) => k.method === 'POST' && k.route === '/v1/links')?.statuses).toEqual(
      expect.arrayContaining([201, 400, 413, 415, 500]),
    );
  });

  it('answers the redirect routes with the configured status, for GET and HEAD alike', () => {
    const known = knownRequests(document, 302);
    const redirects = known.filter((k) => k.route === '/:phrase' || k.route === '/v1/redirects/:phrase');

    expect(redirects.map((k) => `${k.method} ${k.route}`).sort()).toEqual([
      'GET /:phrase',
      'GET /v1/redirects/:phrase',
      'HEAD /:phrase',
      'HEAD /v1/redirects/:phrase',
    ]);
    for (const k of redirects) {
      expect(k.statuses).toEqual(expect.arrayContaining([302, 400, 404, 429, 500, 503]));
      expect(k.statuses).not.toContain(301);
    }
  });

  it('includes the routes the document leaves out: probes, the stats page', () => {
    const routes = knownRequests(document, 301).map((k) => `${k.method} ${k.route}`);

    expect(routes).toEqual(expect.arrayContaining(['GET /health', 'GET /ready', 'GET /s/:phrase']));
  });
});

/** The value of the series `name` whose labels include `labels` (in any order), if exported. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([^{ ]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const pairs = new Set((match[2] ?? '').split(','));
    if (Object.entries(labels).every(([k, v]) => pairs.has(`${k}="${v}"`))) return Number(match[3]);
  }
  return undefined;
}

describe('zeroApiSeries', () => {
  it('exports the known series at 0 before any request, each with its traffic class', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });

    zeroApiSeries(metrics, knownRequests(document, 301));
    const text = await metrics.registry.metrics();

    expect(sample(text, 'requests_total', { route: '/:phrase', status_code: '500', traffic: 'redirect' })).toBe(0);
    expect(sample(text, 'requests_total', { route: '/:phrase', status_code: '404', traffic: 'other' })).toBe(0);
    expect(sample(text, 'request_duration_seconds_count', { method: 'POST', route: '/v1/links', traffic: 'api' })).toBe(
      0,
    );
    expect(sample(text, 'offndat_links_created_total', { language: 'pl', theme: 'politicians' })).toBe(0);
    expect(sample(text, 'offndat_link_visits_total', { language: 'en', theme: 'none', bot: 'true' })).toBe(0);
    expect(sample(text, 'offndat_visits_published_total', { outcome: 'failed' })).toBe(0);
  });
});
