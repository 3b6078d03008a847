import type { Redis } from 'ioredis';
import { createMetrics, type Metrics } from '../../core/metrics/metrics';
import { createAllowList } from '../../core/ratelimit/allow-list';
import {
  createApiRateLimiter,
  type ApiRateLimiter,
  type ApiRateLimiterOptions,
} from '../../core/ratelimit/api-rate-limiter';
import { createRateLimitRedis } from '../../core/ratelimit/redis-client';
import { freePort } from '../support/ports';
import { createTestRedis, type TestRedis } from '../support/redis';

/** The API limiter against the real Redis: what happens when Redis is slow to answer a window, or gone. */

const clients: Redis[] = [];
let testRedis: TestRedis;
let prefixes = 0;

beforeAll(() => {
  testRedis = createTestRedis();
});

afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  await testRedis.close();
});

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

function limiter(options: Partial<ApiRateLimiterOptions> & { metrics?: Metrics } = {}): ApiRateLimiter {
  prefixes += 1;
  return createApiRateLimiter({
    keyPrefix: `${testRedis.keyPrefix}rl${prefixes}`,
    perKeyPoints: 5,
    perIpPoints: 3,
    durationSec: 60,
    queueSize: 0,
    allowList: createAllowList([]),
    isKnownKey: () => false,
    metrics: options.metrics ?? createMetrics({ service: 'api', defaultMetrics: false }),
    ...options,
  });
}

async function decisions(subject: ApiRateLimiter, ip: string, count: number): Promise<boolean[]> {
  const allowed: boolean[] = [];
  for (let i = 0; i < count; i++) allowed.push((await subject.limit({ ip, apiKey: undefined }))?.allowed ?? true);
  return allowed;
}

async function rejections(metrics: Metrics): Promise<number> {
  const { values } = await metrics.rateLimitRejections.get();
  return values.find((value) => value.labels.limiter === 'api_ip')?.value ?? 0;
}

describe('API rate limiter with Redis', () => {
  it('lets up to queueSize over-limit requests wait for the next window instead of rejecting them', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const subject = limiter({ redis: await ready(redis()), metrics, perIpPoints: 2, queueSize: 2, durationSec: 2 });

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(async () => (await subject.limit({ ip: '198.51.100.15', apiKey: undefined }))?.allowed),
    );

    expect(results.filter((allowed) => allowed === true)).toHaveLength(4);
    expect(results.filter((allowed) => allowed === false)).toHaveLength(1);
    expect(await rejections(metrics)).toBe(1);
  });

  it('still limits through the in-memory insurance limiter when Redis is unreachable', async () => {
    const unreachable = redis(`redis://127.0.0.1:${await freePort()}`);
    const subject = limiter({ redis: unreachable });

    const results = await decisions(subject, '198.51.100.16', 4);

    expect(unreachable.status).not.toBe('ready');
    expect(results).toEqual([true, true, true, false]);
  });

  it('falls back to memory when the Redis connection is lost mid-way', async () => {
    const client = await ready(redis());
    const subject = limiter({ redis: client });
    const beforeOutage = await decisions(subject, '198.51.100.17', 1);

    client.disconnect();
    const duringOutage = await decisions(subject, '198.51.100.17', 4);

    expect(beforeOutage).toEqual([true]);
    // The insurance limiter starts its own count: the full limit again, then a rejection.
    expect(duringOutage).toEqual([true, true, true, false]);
  });
});
