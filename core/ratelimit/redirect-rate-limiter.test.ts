import { createMetrics } from '../metrics/metrics';
import { createAllowList } from './allow-list';
import { createRedirectRateLimiter } from './redirect-rate-limiter';

async function rejectionsOf(metrics: ReturnType<typeof createMetrics>, limiter: string): Promise<number> {
  const { values } = await metrics.rateLimitRejections.get();
  return values.find((value) => value.labels.limiter === limiter)?.value ?? 0;
}

describe('createRedirectRateLimiter', () => {
  const clock = { now: 0 };
  const metrics = createMetrics({ service: 'api', defaultMetrics: false });
  const limiter = createRedirectRateLimiter({
    capacity: 3,
    refillTokens: 1,
    refillIntervalSec: 10,
    maxClients: 100,
    allowList: createAllowList(['10.0.0.0/8']),
    metrics,
    now: () => clock.now,
  });
  afterAll(() => limiter.close());

  it('limits each client IP and counts rejections under limiter="redirect"', async () => {
    const results = [1, 2, 3, 4].map(() => limiter.take('203.0.113.1')?.allowed);

    expect(results).toEqual([true, true, true, false]);
    expect(limiter.take('203.0.113.2')?.allowed).toBe(true);
    expect(await rejectionsOf(metrics, 'redirect')).toBe(1);
  });

  it('never limits allow-listed clients', () => {
    const results = Array.from({ length: 10 }, () => limiter.take('10.1.2.3'));

    expect(results.every((result) => result === undefined)).toBe(true);
  });

  it('puts clients without an address into one shared bucket', () => {
    const results = [1, 2, 3, 4].map(() => limiter.take(undefined)?.allowed);

    expect(results).toEqual([true, true, true, false]);
  });
});
