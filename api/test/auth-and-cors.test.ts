import { bootApi, createLink, jsonHeaders, TEST_API_KEY, type BootedApi } from './support/boot-api';
import { loadApiConfig } from '../config';

let api: BootedApi;
beforeAll(async () => {
  api = await bootApi({ env: { API_KEYS: `other-key,${TEST_API_KEY}` } });
});
afterAll(() => api.close());

describe('API key', () => {
  it.each(['/v1/languages', '/v1/themes', '/v1/formats', '/v1/links/some-phrase'])(
    'rejects %s without a key with 401 problem+json',
    async (path) => {
      const response = await fetch(`${api.baseUrl}${path}`);

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { title: string; errors: Array<{ code: string }> };
      expect(problem.title).toBe('Unauthorized');
      expect(problem.errors.map((e) => e.code)).toEqual(['General.Unauthorized']);
    },
  );

  it('rejects a wrong key, including one that is a prefix of a valid key', async () => {
    for (const key of ['nope', TEST_API_KEY.slice(0, -1), `${TEST_API_KEY}x`]) {
      const response = await fetch(`${api.baseUrl}/v1/formats`, { headers: { 'x-offnd-api-key': key } });
      expect(response.status).toBe(401);
    }
  });

  it('accepts every configured key', async () => {
    for (const key of ['other-key', TEST_API_KEY]) {
      const response = await fetch(`${api.baseUrl}/v1/formats`, { headers: { 'x-offnd-api-key': key } });
      expect(response.status).toBe(200);
    }
  });

  it('rejects link creation without a key and creates nothing', async () => {
    const response = await fetch(`${api.baseUrl}/v1/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ targetUrl: 'https://example.com', languageId: 0, themeId: 0, formatId: 0 }),
    });

    expect(response.status).toBe(401);
    const { rows } = await api.db.pools.primary.query('SELECT count(*)::int AS n FROM links');
    expect(rows[0].n).toBe(0);
  });

  it('keeps redirects, health and the OpenAPI document public', async () => {
    const link = await createLink(api.baseUrl);

    const redirect = await fetch(`${api.baseUrl}/v1/redirects/${encodeURIComponent(link.phrase)}`, {
      redirect: 'manual',
    });
    const health = await fetch(`${api.baseUrl}/health`);
    const openapi = await fetch(`${api.baseUrl}/openapi/v1.json`);

    expect([redirect.status, health.status, openapi.status]).toEqual([301, 200, 200]);
  });
});

describe('CORS', () => {
  it('allows a configured origin with credentials, for any header the client asks for', async () => {
    const response = await fetch(`${api.baseUrl}/v1/links`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-offnd-api-key,content-type',
      },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-offnd-api-key');
  });

  it('gives no CORS grant to other origins', async () => {
    const response = await fetch(`${api.baseUrl}/v1/formats`, {
      headers: { ...jsonHeaders(), origin: 'https://evil.example' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers without an Origin, only Vary: Origin, and the grant with one', async () => {
    const plain = await fetch(`${api.baseUrl}/v1/formats`, { headers: jsonHeaders() });
    const browser = await fetch(`${api.baseUrl}/v1/formats`, {
      headers: { ...jsonHeaders(), origin: 'http://localhost:3000' },
    });

    expect(plain.status).toBe(200);
    expect(plain.headers.get('vary')).toBe('Origin');
    expect([...plain.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(browser.headers.get('vary')).toBe('Origin');
    expect(browser.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(browser.headers.get('access-control-expose-headers')).toContain('Location');
  });

  it('adds CORS headers to errors so a browser client can read them', async () => {
    const response = await fetch(`${api.baseUrl}/v1/formats`, { headers: { origin: 'http://localhost:3000' } });

    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });
});

describe('CORS_ORIGINS=*', () => {
  let open: BootedApi;
  beforeAll(async () => {
    open = await bootApi({ env: { CORS_ORIGINS: '*' } });
  });
  afterAll(() => open.close());

  it.each(['https://anyone.example', 'null'])('grants %s the literal * and never credentials', async (origin) => {
    const response = await fetch(`${open.baseUrl}/v1/formats`, { headers: { ...jsonHeaders(), origin } });

    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CORS_ORIGINS validation', () => {
  it.each(['null', 'example.com', 'https://example.com/path', 'ftp://example.com'])('refuses %s', (origin) => {
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://localhost/x', CORS_ORIGINS: origin })).toThrow(
      /CORS_ORIGINS/,
    );
  });

  it('accepts origins and *', () => {
    const config = loadApiConfig({
      DATABASE_URL: 'postgres://localhost/x',
      CORS_ORIGINS: 'https://offnd.at, http://localhost:3000',
    });

    expect(config.CORS_ORIGINS).toEqual(['https://offnd.at', 'http://localhost:3000']);
  });
});
