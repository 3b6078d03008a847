import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Redis } from 'ioredis';
import { createMetrics, type Metrics } from '../../core/metrics/metrics';
import { createAllowList } from '../../core/ratelimit/allow-list';
import { createApiRateLimiter, type ApiRateLimiterOptions } from '../../core/ratelimit/api-rate-limiter';
import { createRedirectRateLimiter } from '../../core/ratelimit/redirect-rate-limiter';
import { createRateLimitRedis } from '../../core/ratelimit/redis-client';
import { createTestRedis, type TestRedis } from '../../test/support/redis';
import { admitRedirect, rateLimitApi } from '../http/rate-limit';

const GOOD_KEY = 'component-test-key';
const servers: Server[] = [];
const clients: Redis[] = [];
const closers: (() => void)[] = [];

let testRedis: TestRedis;
let prefixes = 0;

beforeAll(() => {
  testRedis = createTestRedis();
});

/** A fresh key space per limiter, under this file's unique prefix (cleaned up by `testRedis.close()`). */
function keyPrefix(): string {
  prefixes += 1;
  return `${testRedis.keyPrefix}rl${prefixes}`;
}

/** The limiter's own client, configured as production configures it (fail fast while disconnected). */
function redis(url = testRedis.url): Redis {
  const client = createRateLimitRedis(url, {
    // A loaded test machine can exceed the production 500 ms; a timeout would silently switch to the insurance count.
    commandTimeoutMs: 5_000,
    // No grace period on disconnect: ioredis would otherwise hold a timer open for a socket that never connected.
    redisOptions: { disconnectTimeout: 0 },
  });
  clients.push(client);
  return client;
}

async function ready(client: Redis): Promise<Redis> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The API as the lead mounts it: limiter in front of routes; the client IP comes from X-Forwarded-For. */
async function apiServer(options: Partial<ApiRateLimiterOptions> & { metrics?: Metrics } = {}): Promise<string> {
  const metrics = options.metrics ?? createMetrics({ service: 'api', defaultMetrics: false });
  const limiter = createApiRateLimiter({
    keyPrefix: keyPrefix(),
    perKeyPoints: 5,
    perIpPoints: 3,
    durationSec: 60,
    queueSize: 0,
    allowList: createAllowList(['10.9.0.0/16']),
    isKnownKey: (key) => key === GOOD_KEY,
    metrics,
    ...options,
  });
  const app = express();
  app.set('trust proxy', true);
  app.use('/v1', rateLimitApi(limiter));
  app.get('/v1/themes', (_req, res) => void res.json({ themes: [] }));
  return serve(app);
}

function get(base: string, ip: string, key?: string): Promise<Response> {
  return fetch(`${base}/v1/themes`, {
    headers: { 'x-forwarded-for': ip, ...(key === undefined ? {} : { 'x-offnd-api-key': key }) },
  });
}

async function statuses(base: string, ip: string, count: number, key?: string): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await get(base, ip, key)).status);
  return result;
}

async function rejections(metrics: Metrics, limiter: string): Promise<number> {
  const { values } = await metrics.rateLimitRejections.get();
  return values.find((value) => value.labels.limiter === limiter)?.value ?? 0;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

afterAll(async () => {
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  clients.forEach((client) => client.disconnect());
  closers.forEach((close) => close());
  await testRedis.close();
});

describe('API rate limiting with Redis', () => {
  it('rejects the request after the per-IP limit with a 429 problem, Retry-After and RateLimit headers', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const base = await apiServer({ redis: await ready(redis()), metrics });

    const allowed = await statuses(base, '198.51.100.10', 3);
    const response = await get(base, '198.51.100.10');
    const body = (await response.json()) as { status: number; errors: { code: string }[]; type?: string };

    expect(allowed).toEqual([200, 200, 200]);
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.status).toBe(429);
    expect(body.errors.map((error) => error.code)).toEqual(['General.TooManyRequests']);
    expect(body.type).toBeUndefined();
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(await rejections(metrics, 'api_ip')).toBe(1);
    expect(await testRedis.keys()).toContainEqual(expect.stringMatching(/:ip:198\.51\.100\.10$/));
  });

  it('puts RateLimit headers on allowed responses too', async () => {
    const base = await apiServer({ redis: await ready(redis()) });

    const response = await get(base, '198.51.100.11');

    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    expect(response.headers.get('ratelimit-remaining')).toBe('2');
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('gives a configured API key its own, larger budget and counts unknown keys by IP', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const base = await apiServer({ redis: await ready(redis()), metrics });

    const withKey = await statuses(base, '198.51.100.12', 6, GOOD_KEY);
    const withKeyFromElsewhere = await statuses(base, '198.51.100.99', 1, GOOD_KEY);
    const withoutKey = await statuses(base, '198.51.100.12', 1);
    const withUnknownKeys = await Promise.all(
      [1, 2, 3].map(async () => (await get(base, '198.51.100.13', `guess-${randomUUID()}`)).status),
    );
    const unknownKeyAfterIpBudget = (await get(base, '198.51.100.13', `guess-${randomUUID()}`)).status;

    expect(withKey).toEqual([200, 200, 200, 200, 200, 429]);
    expect(withKeyFromElsewhere).toEqual([429]);
    expect(withoutKey).toEqual([200]);
    expect(withUnknownKeys).toEqual([200, 200, 200]);
    expect(unknownKeyAfterIpBudget).toBe(429);
    expect(await rejections(metrics, 'api_key')).toBe(2);
    expect((await testRedis.keys()).some((key) => key.includes(GOOD_KEY))).toBe(false);
    expect(await rejections(metrics, 'api_ip')).toBe(1);
  });

  it('shares one budget between replicas through Redis', async () => {
    const shared = keyPrefix();
    const replicaA = await apiServer({ redis: await ready(redis()), keyPrefix: shared });
    const replicaB = await apiServer({ redis: await ready(redis()), keyPrefix: shared });

    const first = await statuses(replicaA, '198.51.100.14', 2);
    const second = await statuses(replicaB, '198.51.100.14', 2);

    expect(first).toEqual([200, 200]);
    expect(second).toEqual([200, 429]);
  });

  it('lets up to queueSize over-limit requests wait for the next window instead of rejecting them', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const base = await apiServer({ redis: await ready(redis()), metrics, perIpPoints: 2, queueSize: 2, durationSec: 2 });

    const results = await Promise.all([1, 2, 3, 4, 5].map(async () => (await get(base, '198.51.100.15')).status));

    expect(results.filter((status) => status === 200)).toHaveLength(4);
    expect(results.filter((status) => status === 429)).toHaveLength(1);
    expect(await rejections(metrics, 'api_ip')).toBe(1);
  });

  it('still limits through the in-memory insurance limiter when Redis is unreachable', async () => {
    const unreachable = redis(`redis://127.0.0.1:${await closedPort()}`);
    const base = await apiServer({ redis: unreachable });

    const results = await statuses(base, '198.51.100.16', 4);

    expect(unreachable.status).not.toBe('ready');
    expect(results).toEqual([200, 200, 200, 429]);
  });

  it('falls back to memory when the Redis connection is lost mid-way', async () => {
    const client = await ready(redis());
    const base = await apiServer({ redis: client });
    const beforeOutage = await statuses(base, '198.51.100.17', 1);

    client.disconnect();
    const duringOutage = await statuses(base, '198.51.100.17', 4);

    expect(beforeOutage).toEqual([200]);
    // The insurance limiter starts its own count: the full limit again, then 429.
    expect(duringOutage).toEqual([200, 200, 200, 429]);
  });

  it('never limits allow-listed clients and sends them no RateLimit headers', async () => {
    const base = await apiServer({ redis: await ready(redis()), perIpPoints: 1 });

    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => get(base, '10.9.8.7')));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.every((response) => response.headers.get('ratelimit-limit') === null)).toBe(true);
  });
});

describe('redirect rate limiting on raw node:http', () => {
  async function redirectServer(metrics: Metrics): Promise<string> {
    const limiter = createRedirectRateLimiter({
      capacity: 3,
      refillTokens: 1,
      refillIntervalSec: 10,
      maxClients: 100,
      allowList: createAllowList(['127.0.0.1/32']),
      metrics,
    });
    closers.push(() => limiter.close());
    return serve((req, res) => {
      const ip = String(req.headers['x-test-client'] ?? req.socket.remoteAddress);
      if (!admitRedirect(limiter, req, res, ip)) return;
      res.writeHead(301, { Location: 'https://example.org/', 'Content-Length': '0' });
      res.end();
    });
  }

  it('answers 429 problem+json with headers once the burst is spent', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const base = await redirectServer(metrics);
    const visit = () => fetch(`${base}/some-phrase`, { redirect: 'manual', headers: { 'x-test-client': '203.0.113.20' } });

    const allowed = [(await visit()).status, (await visit()).status, (await visit()).status];
    const rejected = await visit();
    const body = (await rejected.json()) as { errors: { code: string }[] };

    expect(allowed).toEqual([301, 301, 301]);
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors.map((error) => error.code)).toEqual(['General.TooManyRequests']);
    expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rejected.headers.get('ratelimit-limit')).toBe('3');
    expect(rejected.headers.get('ratelimit-remaining')).toBe('0');
    expect(await rejections(metrics, 'redirect')).toBe(1);
  });

  it('never limits allow-listed clients', async () => {
    const base = await redirectServer(createMetrics({ service: 'api', defaultMetrics: false }));

    const results = await Promise.all(
      Array.from({ length: 6 }, async () => (await fetch(`${base}/p`, { redirect: 'manual', headers: { 'x-test-client': '127.0.0.1' } })).status),
    );

    expect(results).toEqual([301, 301, 301, 301, 301, 301]);
  });
});
