import { writeRateLimitHeaders, writeRetryAfter } from './rate-limit-headers';

function sink() {
  const headers = new Map<string, string | number>();
  return { headers, setHeader: (name: string, value: string | number) => headers.set(name, value) };
}

describe('rate-limit headers', () => {
  it('writes limit, remaining and reset as whole non-negative numbers', () => {
    const res = sink();

    writeRateLimitHeaders(res, { limit: 100, remaining: -1, resetSec: 12.2 });

    expect(Object.fromEntries(res.headers)).toEqual({
      'RateLimit-Limit': 100,
      'RateLimit-Remaining': 0,
      'RateLimit-Reset': 13,
    });
  });

  it('never advertises a zero Retry-After', () => {
    const res = sink();

    writeRetryAfter(res, 0);

    expect(res.headers.get('Retry-After')).toBe(1);
  });
});
