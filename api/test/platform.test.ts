import { fixturesDir, bootApi, createLink, jsonHeaders, seededRandom, type BootedApi } from './support/boot-api';
import { join } from 'node:path';

describe('health, readiness, docs and metrics', () => {
  let api: BootedApi;
  beforeAll(async () => {
    api = await bootApi();
  });
  afterAll(() => api.close());

  it('reports liveness without dependencies and readiness with them', async () => {
    const health = await fetch(`${api.baseUrl}/health`);
    const ready = await fetch(`${api.baseUrl}/ready`);

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'Healthy', entries: { postgres: { status: 'Healthy' } } });
  });

  it('fails readiness while shutting down, and when a dependency fails', async () => {
    api.deps.lifecycle.shuttingDown = true;
    const draining = await fetch(`${api.baseUrl}/ready`);
    api.deps.lifecycle.shuttingDown = false;
    (api.deps.readiness as Array<{ name: string; critical: boolean; check(): Promise<void> }>).push({
      name: 'broken',
      critical: true,
      check: () => Promise.reject(new Error('down')),
    });
    const broken = await fetch(`${api.baseUrl}/ready`);
    (api.deps.readiness as unknown[]).pop();

    expect(draining.status).toBe(503);
    expect(broken.status).toBe(503);
    expect(await broken.json()).toMatchObject({
      status: 'Unhealthy',
      entries: { broken: { status: 'Unhealthy' } },
    });
  });

  it('stays ready but reports Degraded when a non-critical dependency (cache, broker) fails', async () => {
    const checks = api.deps.readiness as Array<{ name: string; critical: boolean; check(): Promise<void> }>;
    checks.push({ name: 'redis', critical: false, check: () => Promise.reject(new Error('connection refused')) });
    const response = await fetch(`${api.baseUrl}/ready`);
    checks.pop();

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'Degraded',
      entries: { redis: { status: 'Degraded' }, postgres: { status: 'Healthy' } },
    });
  });

  it('publishes an OpenAPI document generated from the route schemas, and a docs page', async () => {
    const document = (await (await fetch(`${api.baseUrl}/openapi/v1.json`)).json()) as {
      openapi: string;
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
        securitySchemes: Record<string, { name: string }>;
      };
    };
    const docs = await fetch(`${api.baseUrl}/docs`);
    const init = await (await fetch(`${api.baseUrl}/docs/init.js`)).text();
    const asset = await fetch(`${api.baseUrl}/docs/assets/swagger-ui-bundle.js`);

    expect(document.openapi).toBe('3.1.0');
    // The deliberate differences from the original open the description, which /docs renders first.
    expect(document.info.description).toMatch(
      /\| A redirect to an unknown phrase answers 400\. \| 404 problem\+json `Link\.NotFound`/,
    );
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/formats',
      '/v1/languages',
      '/v1/links',
      '/v1/links/{phrase}',
      '/v1/redirects/{phrase}',
      '/v1/themes',
      '/{phrase}',
    ]);
    expect(Object.keys(document.components.schemas.CreateLinkRequest!.properties!)).toEqual([
      'targetUrl',
      'languageId',
      'themeId',
      'formatId',
    ]);
    // Every field is required, as the validation enforces; the statuses the routes answer are all documented.
    expect(document.components.schemas.CreateLinkRequest!.required?.sort()).toEqual([
      'formatId',
      'languageId',
      'targetUrl',
      'themeId',
    ]);
    expect(Object.keys(document.paths['/v1/links/{phrase}']!.get!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '503']),
    );
    expect(Object.keys(document.paths['/v1/links']!.post!.responses)).toEqual(
      expect.arrayContaining(['201', '400', '503']),
    );
    expect(document.components.securitySchemes.ApiKey!.name).toBe('X-Offnd-Api-Key');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect(init).toContain('/openapi/v1.json');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toMatch(/gzip|br|deflate/);
  });

  it('serves /metrics on its own port only: the public port answers 404', async () => {
    const onPublicPort = await fetch(`${api.baseUrl}/metrics`);
    const onMetricsPort = await fetch(api.metricsUrl);

    expect(onPublicPort.status).toBe(404);
    expect(onMetricsPort.status).toBe(200);
    expect(await onMetricsPort.text()).toContain('requests_total');
  });

  it('exports request metrics labelled by route template, never by phrase', async () => {
    const link = await createLink(api.baseUrl);
    await fetch(`${api.baseUrl}/${encodeURIComponent(link.phrase)}`, { redirect: 'manual' });
    await fetch(`${api.baseUrl}/v1/links/${encodeURIComponent(link.phrase)}`, { headers: jsonHeaders() });

    const text = await (await fetch(api.metricsUrl)).text();

    expect(text).toMatch(/requests_total\{[^}]*route="\/:phrase"[^}]*status_code="301"/);
    expect(text).toMatch(/requests_total\{[^}]*route="\/v1\/links\/:phrase"/);
    expect(text).toMatch(/request_duration_seconds_bucket\{[^}]*le="0.001"/);
    expect(text).toMatch(/offndat_links_created_total\{[^}]*language="en"/);
    expect(text).toContain('active_connections');
    expect(text).not.toContain(link.phrase);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await fetch(`${api.baseUrl}/v1/unknown/route`, { headers: jsonHeaders() });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('phrase collisions', () => {
  let api: BootedApi;
  beforeAll(async () => {
    // One adverb and noun, two adjectives per offensiveness: the three-word space holds only a handful of phrases.
    api = await bootApi({
      random: seededRandom(7),
      env: { VOCABULARY_SOURCE: join(fixturesDir, 'tiny-vocabulary'), PHRASE_RETRY_BASE_DELAY_MS: '1' },
    });
  });
  afterAll(() => api.close());

  it('keeps creating links once the three-word space is exhausted, by lengthening the phrase', async () => {
    const phrases: string[] = [];
    for (let i = 0; i < 12; i++) phrases.push((await createLink(api.baseUrl)).phrase);

    expect(new Set(phrases).size).toBe(12);
    expect(phrases.some((phrase) => phrase.split('-').length > 3)).toBe(true);
    const metrics = await (await fetch(api.metricsUrl)).text();
    expect(metrics).toMatch(/offndat_phrase_generation_retries_total\{[^}]*\} [1-9]/);
  });
});
