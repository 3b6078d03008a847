import { createMetrics } from '../metrics/metrics';
import { createAllowList } from './allow-list';
import { createApiRateLimiter, type ApiRateLimiterOptions } from './api-rate-limiter';

// Memory-backed behaviour; the Redis-backed limiter, its insurance and the queue are covered in api/test.
function limiter(overrides: Partial<ApiRateLimiterOptions> = {}) {
  const metrics = createMetrics({ service: 'api', defaultMetrics: false });
  const apiLimiter = createApiRateLimiter({
    keyPrefix: 'unit',
    perKeyPoints: 3,
    perIpPoints: 2,
    durationSec: 60,
    queueSize: 0,
    allowList: createAllowList(['127.0.0.1']),
    isKnownKey: (key) => key === 'good-key',
    metrics,
    ...overrides,
  });
  return { apiLimiter, metrics };
}

async function allowedCount(run: () => Promise<{ allowed: boolean } | undefined>, times: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await run())?.allowed === true) allowed++;
  return allowed;
}

describe('createApiRateLimiter (in memory)', () => {
  it('gives a configured key its own budget', async () => {
    const { apiLimiter } = limiter();

    const allowed = await allowedCount(() => apiLimiter.limit({ ip: '198.51.100.1', apiKey: 'good-key' }), 5);
    const decision = await apiLimiter.limit({ ip: '198.51.100.1', apiKey: undefined });

    expect(allowed).toBe(3);
    expect(decision).toMatchObject({ allowed: true, limiter: 'api_ip', limit: 2, remaining: 1 });
  });

  it('counts unknown keys against the client IP', async () => {
    const { apiLimiter } = limiter();

    const allowed = await allowedCount(
      () => apiLimiter.limit({ ip: '198.51.100.2', apiKey: `made-up-${Math.random()}` }),
      4,
    );

    expect(allowed).toBe(2);
  });

  it('describes a rejection with retry hint and counts it per limiter, each limiter counted from 0', async () => {
    const { apiLimiter, metrics } = limiter();
    await allowedCount(() => apiLimiter.limit({ ip: '198.51.100.3', apiKey: undefined }), 2);

    const decision = await apiLimiter.limit({ ip: '198.51.100.3', apiKey: undefined });
    const counted = (await metrics.rateLimitRejections.get()).values;

    expect(decision).toMatchObject({ allowed: false, limiter: 'api_ip', limit: 2, remaining: 0 });
    expect(decision?.retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(decision?.retryAfterSec).toBeLessThanOrEqual(60);
    expect(counted).toEqual([
      { value: 0, labels: { limiter: 'api_key' } },
      { value: 1, labels: { limiter: 'api_ip' } },
    ]);
  });

  it('does not limit allow-listed clients', async () => {
    const { apiLimiter } = limiter();

    const decisions = await Promise.all(
      [1, 2, 3, 4].map(() => apiLimiter.limit({ ip: '127.0.0.1', apiKey: undefined })),
    );

    expect(decisions).toEqual([undefined, undefined, undefined, undefined]);
  });
});
