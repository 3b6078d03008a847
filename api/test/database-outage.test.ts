import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy';
import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';

// The api reaches PostgreSQL through a proxy the test unplugs: a database outage for this api only.
let db: TestDatabase;
let proxy: TcpProxy;
let throughProxy: string;
const apis: BootedApi[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  throughProxy = url.href;
});

afterEach(async () => {
  proxy.restore();
  for (const api of apis.splice(0)) await api.close();
});

afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

async function boot(env: Record<string, string> = {}): Promise<BootedApi> {
  const api = await bootApi({ db, env: { DATABASE_URL: throughProxy, ...env } });
  apis.push(api);
  return api;
}

async function problemOf(response: Response) {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    codes: ((await response.json()) as { errors: Array<{ code: string }> }).errors.map((e) => e.code),
  };
}

const unavailable = {
  status: 503,
  type: 'application/problem+json; charset=utf-8',
  retryAfter: '5',
  codes: ['General.Unavailable'],
};

describe('api: the database becomes unreachable', () => {
  it('answers 503 with Retry-After for what needs the database, and keeps redirecting from the caches', async () => {
    const api = await boot();
    const link = await createLink(api.baseUrl);

    proxy.cut();
    const redirect = await fetch(`${api.baseUrl}/${link.phrase}`, { redirect: 'manual' });
    const unknown = await fetch(`${api.baseUrl}/no-such-phrase-here`, { redirect: 'manual' });
    const create = await fetch(`${api.baseUrl}/v1/links`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ targetUrl: 'https://example.com', languageId: 0, themeId: 0, formatId: 0 }),
    });
    const stats = await fetch(`${api.baseUrl}/v1/links/${link.phrase}`, { headers: jsonHeaders() });
    const page = await fetch(`${api.baseUrl}/s/${link.phrase}`);
    proxy.restore();

    expect(redirect.status).toBe(301);
    expect(await problemOf(unknown)).toEqual(unavailable);
    expect(await problemOf(create)).toEqual(unavailable);
    expect(await problemOf(stats)).toEqual(unavailable);
    expect(await problemOf(page)).toEqual(unavailable);
  });

  it('stays Ready while Redis answers redirects, and /ready shows check names and states, never addresses', async () => {
    const api = await boot();

    proxy.cut();
    const response = await fetch(`${api.baseUrl}/ready`);
    const text = await response.text();
    proxy.restore();

    expect(response.status).toBe(200);
    const body = JSON.parse(text) as { status: string; entries: Record<string, Record<string, unknown>> };
    expect(body.status).toBe('Degraded');
    expect(body.entries.postgres?.status).toBe('Degraded');
    for (const entry of Object.values(body.entries)) expect(Object.keys(entry).sort()).toEqual(['duration', 'status']);
    expect(text).not.toContain(String(proxy.port));
    expect(text).not.toContain('127.0.0.1');
  });

  it('without Redis, is Ready only while its own cache holds links to redirect to', async () => {
    const api = await boot({ REDIS_URL: '' });
    const other = await boot();
    const link = await createLink(other.baseUrl);

    proxy.cut();
    const coldStatus = (await fetch(`${api.baseUrl}/ready`)).status;
    proxy.restore();
    const warmed = (await fetch(`${api.baseUrl}/${link.phrase}`, { redirect: 'manual' })).status;
    proxy.cut();
    const warmStatus = (await fetch(`${api.baseUrl}/ready`)).status;
    const cachedRedirect = (await fetch(`${api.baseUrl}/${link.phrase}`, { redirect: 'manual' })).status;
    proxy.restore();

    expect(coldStatus).toBe(503);
    expect(warmed).toBe(301);
    expect(warmStatus).toBe(200);
    expect(cachedRedirect).toBe(301);
  });
});
