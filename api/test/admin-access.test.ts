import { createLink, TEST_API_KEY, type BootedApi } from './support/boot-api';
import { ADMIN_ENV, ADMIN_KEYS, adminFetch, adminJson, bootAdminApi } from './support/admin';
import { bootApi } from './support/boot-api';

let api: BootedApi;
beforeAll(async () => {
  api = await bootAdminApi({ env: { RATE_LIMIT_ADMIN_PER_MIN: '1000' } });
});
afterAll(() => api?.close());

describe('admin keys and scopes', () => {
  it('answers 401 without a key, with an unknown key and with a public API key', async () => {
    const unknown = await fetch(`${api.baseUrl}/admin/v1/links`, {
      headers: { authorization: 'Bearer not-a-key-not-a-key-1234' },
    });
    const publicKey = await fetch(`${api.baseUrl}/admin/v1/links`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    const none = await adminFetch(api.baseUrl, '/links', { key: null });

    for (const response of [unknown, publicKey, none]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="offndat-admin"');
      expect(await response.json()).toMatchObject({ errors: [{ code: 'General.Unauthorized' }] });
    }
  });

  it('does not accept an admin key on the public API', async () => {
    const response = await fetch(`${api.baseUrl}/v1/languages`, { headers: { 'x-offnd-api-key': ADMIN_KEYS.ops.key } });

    expect(response.status).toBe(401);
  });

  it('answers 403 Admin.Forbidden for an action outside the scopes of the key, and changes nothing', async () => {
    const link = await createLink(api.baseUrl);

    const read = await adminFetch(api.baseUrl, `/links/${link.phrase}`, { key: 'reader' });
    const disable = await adminFetch(api.baseUrl, `/links/${link.phrase}/disable`, { method: 'POST', key: 'reader' });
    const audit = await adminFetch(api.baseUrl, '/audit', { key: 'reader' });
    const block = await adminFetch(api.baseUrl, '/blocklist', {
      method: 'POST',
      key: 'auditor',
      body: { kind: 'host', value: 'x.example' },
    });

    expect(read.status).toBe(200);
    for (const response of [disable, audit, block]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ errors: [{ code: 'Admin.Forbidden' }] });
    }
    expect(await adminJson(api.baseUrl, `/links/${link.phrase}`)).toMatchObject({ state: 'active' });
  });
});

describe('audit log', () => {
  it('records who changed what and when, with the link before and after, newest first', async () => {
    const link = await createLink(api.baseUrl);

    await adminJson(api.baseUrl, `/links/${link.phrase}/disable`, { method: 'POST', body: { reason: 'reported' } });
    await adminJson(api.baseUrl, `/links/${link.phrase}/enable`, { method: 'POST' });
    const page = await adminJson<{ records: Array<Record<string, unknown>> }>(
      api.baseUrl,
      `/audit?targetType=link&target=${link.phrase}`,
      { key: 'auditor' },
    );

    expect(page.records).toEqual([
      expect.objectContaining({
        action: 'link.enable',
        actor: 'key:ops',
        before: expect.objectContaining({ state: 'disabled' }),
        after: expect.objectContaining({ state: 'active' }),
      }),
      expect.objectContaining({
        action: 'link.disable',
        actor: 'key:ops',
        target: link.phrase,
        targetType: 'link',
        at: expect.stringMatching(/^\d{4}-/),
        requestId: expect.any(String),
        before: expect.objectContaining({ state: 'active', disabledReason: null }),
        after: expect.objectContaining({ state: 'disabled', disabledReason: 'reported' }),
      }),
    ]);
  });

  it('counts every action in offndat_admin_actions_total, from 0 for actions not yet taken', async () => {
    const link = await createLink(api.baseUrl);
    const before = await actionCount('link.delete');

    await adminJson(api.baseUrl, `/links/${link.phrase}`, { method: 'DELETE' });

    expect(await actionCount('link.delete')).toBe(before + 1);
    expect(await actionCount('blocklist.recheck')).toBe(0);
  });
});

async function actionCount(action: string): Promise<number> {
  const text = await (await fetch(api.metricsUrl)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('offndat_admin_actions_total{') && l.includes(`action="${action}"`));
  if (!line) throw new Error(`no series for ${action}`);
  return Number(line.split(' ').pop());
}

describe('search', () => {
  it('pages through links by host, newest first, without skipping or repeating one', async () => {
    const host = `pages-${Date.now()}.example`;
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1)
      created.push((await createLink(api.baseUrl, { targetUrl: `https://${host}/${i}` })).phrase);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/links?host=${host.toUpperCase()}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { links: Array<{ phrase: string }>; nextCursor: string | null } = await adminJson(
        api.baseUrl,
        query,
        { key: 'reader' },
      );
      seen.push(...page.links.map((l) => l.phrase));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toEqual([...created].reverse());
  });

  it('finds links by phrase prefix and creation time, and rejects a forged cursor', async () => {
    const link = await createLink(api.baseUrl);
    const from = new Date(Date.now() - 60_000).toISOString();

    const found = await adminJson<{ links: Array<{ phrase: string; visits: number }> }>(
      api.baseUrl,
      `/links?phrase=${encodeURIComponent(link.phrase)}&createdFrom=${encodeURIComponent(from)}`,
    );
    const none = await adminJson<{ links: unknown[] }>(
      api.baseUrl,
      `/links?phrase=${encodeURIComponent(link.phrase)}&createdTo=${encodeURIComponent(from)}`,
    );

    expect(found.links).toEqual([expect.objectContaining({ phrase: link.phrase, visits: 0 })]);
    expect(none.links).toEqual([]);
    expect(await adminJson(api.baseUrl, '/links?cursor=Zm9v', {}, 400)).toMatchObject({
      errors: [{ code: 'Admin.InvalidCursor' }],
    });
    expect(await adminJson(api.baseUrl, '/links?limit=1000', {}, 400)).toMatchObject({
      errors: [{ code: 'Admin.InvalidRequest' }],
    });
  });

  it('publishes its OpenAPI document without a key', async () => {
    const document = (await (await fetch(`${api.baseUrl}/admin/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };

    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/admin/v1/links',
        '/admin/v1/links/{phrase}/disable',
        '/admin/v1/blocklist',
        '/admin/v1/audit',
      ]),
    );
  });
});

describe('admin rate limits and its own port', () => {
  it('limits requests per client and key with 429 General.TooManyRequests', async () => {
    // A Redis namespace of its own: the limits are counted there, across replicas.
    const limited = await bootAdminApi({ db: api.db, env: { RATE_LIMIT_ADMIN_PER_MIN: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await adminFetch(limited.baseUrl, '/links?limit=1')).status);
      const last = await adminFetch(limited.baseUrl, '/links?limit=1');

      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await last.json()).toMatchObject({ errors: [{ code: 'General.TooManyRequests' }] });
    } finally {
      await limited.close();
    }
  });

  it('serves the admin API only on ADMIN_PORT when one is set', async () => {
    const separate = await bootApi({ db: api.db, redis: api.redis, env: { ...ADMIN_ENV, ADMIN_PORT: '0' } });
    try {
      const port = separate.adminPort;
      const onPublic = await adminFetch(separate.baseUrl, '/links');
      const onAdmin = await adminFetch(`http://127.0.0.1:${port}`, '/links');

      expect(onPublic.status).toBe(404);
      expect(onAdmin.status).toBe(200);
    } finally {
      await separate.close();
    }
  });
});
