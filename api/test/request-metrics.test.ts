import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMetrics, type Metrics } from '../../core/metrics/metrics';
import { requestMetrics } from '../http/request-metrics';

let server: Server;
let base: string;
const metrics: Metrics = createMetrics({ service: 'api', defaultMetrics: false });
let releaseHanging: () => void = () => undefined;
let hangingStarted = false;

beforeAll(async () => {
  const app = express();
  app.use(requestMetrics(metrics));
  // Guards answer before any route matches, as the API's limiter and key check do.
  app.use('/v1/limited', (_req, res) => void res.status(429).end());
  app.use('/v1/failing', (_req, _res, next) => next(new Error('guard failed')));
  const links = express.Router();
  links.get('/:phrase', (_req, res) => void res.json({ ok: true }));
  links.post('/', (_req, res) => void res.status(201).end());
  links.get('/:phrase/stats', (_req, _res, next) => next(Object.assign(new Error('not found'), { status: 404 })));
  app.use('/v1/links', links);
  app.get('/health', (_req, res) => void res.send('ok'));
  app.get('/boom/:id', () => {
    throw new Error('boom');
  });
  app.get('/hang', (_req, res) => {
    hangingStarted = true;
    releaseHanging = () => res.end();
  });
  app.use(
    ((error, _req, res, _next) =>
      void res.status((error as { status?: number }).status ?? 500).end()) as express.ErrorRequestHandler,
  );
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  releaseHanging();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function count(labels: Record<string, string>): Promise<number> {
  const { values } = await metrics.requestsTotal.get();
  return values
    .filter((value) =>
      Object.entries(labels).every(([name, wanted]) => String(value.labels[name as 'route']) === wanted),
    )
    .reduce((sum, value) => sum + value.value, 0);
}

/** The close event fires just after the client has its response; poll briefly instead of sleeping. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met');
}

describe('request metrics middleware', () => {
  it('labels requests with the route template, never the phrase', async () => {
    await fetch(`${base}/v1/links/very-smelly-penguin`);
    await fetch(`${base}/v1/links/quite-happy-otter`);

    await eventually(async () => (await count({ route: '/v1/links/:phrase' })) === 2);
    const { values } = await metrics.requestsTotal.get();

    expect(values.some((value) => String(value.labels.route).includes('penguin'))).toBe(false);
    expect(await count({ method: 'GET', route: '/v1/links/:phrase', status_code: '200' })).toBe(2);
  });

  it('records the status code and the duration per route', async () => {
    await fetch(`${base}/v1/links`, { method: 'POST' });
    await fetch(`${base}/health`);

    await eventually(async () => (await count({ route: '/health' })) === 1);
    const durations = (await metrics.requestDuration.get()).values.filter(
      (value) => value.metricName === 'request_duration_seconds_count' && value.labels.route === '/v1/links/',
    );

    expect(await count({ method: 'POST', route: '/v1/links/', status_code: '201' })).toBe(1);
    expect(await count({ method: 'GET', route: '/health', status_code: '200' })).toBe(1);
    expect(durations).toEqual([
      expect.objectContaining({ value: 1, labels: { method: 'POST', route: '/v1/links/', traffic: 'api' } }),
    ]);
  });

  it('labels unknown paths as unmatched and keeps the full template when a route fails', async () => {
    await fetch(`${base}/no/such/path/${Math.random()}`);
    await fetch(`${base}/boom/7`);
    await fetch(`${base}/v1/links/very-smelly-penguin/stats`);

    await eventually(async () => (await count({ route: '/v1/links/:phrase/stats' })) === 1);

    expect(await count({ route: 'unmatched', status_code: '404' })).toBe(1);
    expect(await count({ route: '/boom/:id', status_code: '500' })).toBe(1);
    expect(await count({ route: '/v1/links/:phrase/stats', status_code: '404' })).toBe(1);
  });

  it('counts requests the client abandoned as 499', async () => {
    const abort = new AbortController();
    const pending = fetch(`${base}/hang`, { signal: abort.signal }).catch(() => undefined);
    await eventually(() => Promise.resolve(hangingStarted));

    abort.abort();
    await pending;

    await eventually(async () => (await count({ route: '/hang' })) === 1);
    expect(await count({ route: '/hang', status_code: '499' })).toBe(1);
  });

  it('counts API requests as api traffic and probes, 404s and 429s as other', async () => {
    await fetch(`${base}/v1/links/any-phrase`);
    await fetch(`${base}/v1/links/any-phrase/stats`);
    await fetch(`${base}/health`);
    await fetch(`${base}/v1/limited`);
    await fetch(`${base}/v1/failing`);

    await eventually(async () => (await count({ route: 'unmatched', traffic: 'api' })) === 1);

    expect(await count({ route: '/v1/links/:phrase', status_code: '200', traffic: 'api' })).toBeGreaterThan(0);
    expect(await count({ route: '/v1/links/:phrase/stats', traffic: 'api' })).toBe(0);
    expect(await count({ route: '/health', traffic: 'api' })).toBe(0);
    expect(await count({ route: 'unmatched', status_code: '429', traffic: 'other' })).toBe(1);
    expect(await count({ route: 'unmatched', status_code: '500', traffic: 'api' })).toBe(1);
  });
});
