import { randomUUID } from 'node:crypto';
import { bootApi, createLink, type BootedApi } from './support/boot-api';

/**
 * The limiters as `startApiService` wires them: the API limiter in front of /v1 with its counters in Redis, and
 * the redirect limiter inside the lean redirect handler. Client addresses come from X-Forwarded-For, which
 * TRUST_PROXY=loopback accepts from the test's own connections.
 */

const GOOD_KEY = 'component-test-key';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const apis: BootedApi[] = [];

async function boot(env: Record<string, string>, shared?: BootedApi): Promise<BootedApi> {
  const api = await bootApi({
    env: {
      RATE_LIMIT_API_IP_PER_MIN: '3',
      RATE_LIMIT_API_KEY_PER_MIN: '5',
      RATE_LIMIT_API_QUEUE: '0',
      RATE_LIMIT_ALLOW_LIST: '10.9.0.0/16',
      TRUST_PROXY: 'loopback',
      ...env,
    },
    ...(shared ? { db: shared.db, redis: shared.redis } : {}),
  });
  apis.push(api);
  return api;
}

afterAll(async () => {
  // Replicas sharing a database or Redis namespace close before the boot that owns them.
  for (const api of apis.reverse()) await api.close();
});

function get(api: BootedApi, ip: string, key?: string): Promise<Response> {
  return fetch(`${api.baseUrl}/v1/themes`, {
    headers: { 'x-forwarded-for': ip, ...(key === undefined ? {} : { 'x-offnd-api-key': key }) },
  });
}

async function statuses(api: BootedApi, ip: string, count: number, key?: string): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await get(api, ip, key)).status);
  return result;
}

async function rejections(api: BootedApi, limiter: string): Promise<number> {
  const text = await (await fetch(api.metricsUrl)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('offndat_rate_limit_rejections_total{') && l.includes(`limiter="${limiter}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('API rate limits', () => {
  let open: BootedApi;
  let keyed: BootedApi;
  beforeAll(async () => {
    open = await boot({ API_KEYS: '' });
    keyed = await boot({ API_KEYS: GOOD_KEY });
  });

  it('rejects the request after the per-IP limit with a 429 problem, Retry-After and RateLimit headers', async () => {
    const allowed = await statuses(open, '198.51.100.10', 3);
    const response = await get(open, '198.51.100.10');
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
    expect(await rejections(open, 'api_ip')).toBe(1);
    expect(await open.redis.keys()).toContainEqual(expect.stringMatching(/:ip:198\.51\.100\.10$/));
  });

  it('puts RateLimit headers on allowed responses too', async () => {
    const response = await get(open, '198.51.100.11');

    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    expect(response.headers.get('ratelimit-remaining')).toBe('2');
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('gives a configured API key its own, larger budget and counts unknown keys by IP before authenticating', async () => {
    const withKey = await statuses(keyed, '198.51.100.12', 6, GOOD_KEY);
    const withKeyFromElsewhere = await statuses(keyed, '198.51.100.99', 1, GOOD_KEY);
    const withUnknownKeys = await Promise.all(
      [1, 2, 3].map(async () => (await get(keyed, '198.51.100.13', `guess-${randomUUID()}`)).status),
    );
    const unknownKeyAfterIpBudget = (await get(keyed, '198.51.100.13', `guess-${randomUUID()}`)).status;

    expect(withKey).toEqual([200, 200, 200, 200, 200, 429]);
    expect(withKeyFromElsewhere).toEqual([429]);
    // Let through by the limiter, then refused by authentication.
    expect(withUnknownKeys).toEqual([401, 401, 401]);
    expect(unknownKeyAfterIpBudget).toBe(429);
    expect(await rejections(keyed, 'api_key')).toBe(2);
    expect(await rejections(keyed, 'api_ip')).toBe(1);
    expect((await keyed.redis.keys()).some((key) => key.includes(GOOD_KEY))).toBe(false);
  });

  it('shares one budget between replicas through Redis', async () => {
    const replica = await boot({ API_KEYS: '' }, open);

    const first = await statuses(open, '198.51.100.14', 2);
    const second = await statuses(replica, '198.51.100.14', 2);

    expect(first).toEqual([200, 200]);
    expect(second).toEqual([200, 429]);
  });

  it('never limits allow-listed clients and sends them no RateLimit headers', async () => {
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => get(open, '10.9.8.7')));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.every((response) => response.headers.get('ratelimit-limit') === null)).toBe(true);
  });
});

describe('redirect rate limits on the lean redirect path', () => {
  let api: BootedApi;
  let phrase: string;
  beforeAll(async () => {
    // A minute between refills: no token comes back while the test runs.
    api = await boot({
      RATE_LIMIT_REDIRECT_BURST: '3',
      RATE_LIMIT_REDIRECT_REFILL: '1',
      RATE_LIMIT_REDIRECT_REFILL_SEC: '60',
    });
    phrase = (await createLink(api.baseUrl)).phrase;
  });

  const follow = (ip: string, path = `/${encodeURIComponent(phrase)}`) =>
    fetch(`${api.baseUrl}${path}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip, 'user-agent': BROWSER } });

  async function visits(): Promise<number> {
    await api.flushVisits();
    const { rows } = await api.db.pools.primary.query<{ n: number }>('SELECT count(*)::int AS n FROM visits');
    return rows[0]!.n;
  }

  it('answers 429 problem+json with Retry-After and RateLimit headers once the burst is spent, and counts no visit for it', async () => {
    const allowed = [await follow('203.0.113.20'), await follow('203.0.113.20'), await follow('203.0.113.20')];
    const rejected = await follow('203.0.113.20');
    const body = (await rejected.json()) as { errors: { code: string }[] };

    expect(allowed.map((response) => response.status)).toEqual([301, 301, 301]);
    expect(allowed.map((response) => response.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(rejected.headers.get('api-supported-versions')).toBe('1');
    expect(body.errors.map((error) => error.code)).toEqual(['General.TooManyRequests']);
    expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rejected.headers.get('ratelimit-limit')).toBe('3');
    expect(rejected.headers.get('ratelimit-remaining')).toBe('0');
    expect(await rejections(api, 'redirect')).toBe(1);
    expect(await visits()).toBe(3);
  });

  it('spends the same bucket on /v1/redirects/{phrase} and leaves other clients alone', async () => {
    const spent = await follow('203.0.113.20', `/v1/redirects/${encodeURIComponent(phrase)}`);
    const other = await follow('203.0.113.21', `/v1/redirects/${encodeURIComponent(phrase)}`);

    expect(spent.status).toBe(429);
    expect(other.status).toBe(301);
  });

  it('never limits allow-listed clients', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => follow('10.9.8.7')));

    expect(responses.map((response) => response.status)).toEqual([301, 301, 301, 301, 301, 301]);
    expect(responses.every((response) => response.headers.get('ratelimit-limit') === null)).toBe(true);
  });
});
