import { createLink, jsonHeaders, type BootedApi } from './support/boot-api';
import { adminJson, bootAdminApi, follow, problemCode, until } from './support/admin';

// Two replicas of one deployment: one database, one Redis namespace, each with its own in-process cache.
let a: BootedApi;
let b: BootedApi;
beforeAll(async () => {
  a = await bootAdminApi();
  b = await bootAdminApi({ db: a.db, redis: a.redis });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** A link both replicas have in their in-process cache, so only an invalidation can change what they answer. */
async function cachedEverywhere(targetUrl = 'https://example.com/landing') {
  const link = await createLink(a.baseUrl, { targetUrl });
  for (const api of [a, b]) expect((await follow(api.baseUrl, `/${link.phrase}`)).status).toBe(301);
  expect(b.deps.links.peek?.(link.phrase)?.gone).toBeUndefined();
  return link;
}

describe('takedown everywhere', () => {
  it('stops redirects on another instance once its invalidation arrives, and restores them on enable', async () => {
    const link = await cachedEverywhere();

    const disabled = await adminJson(a.baseUrl, `/links/${link.phrase}/disable`, {
      method: 'POST',
      body: { reason: 'phishing' },
    });
    // The message reached the other instance: it dropped its cached copy by itself.
    await until(() => b.deps.links.peek?.(link.phrase) === undefined, 'the other instance drops the link');

    expect(disabled).toMatchObject({ state: 'disabled', disabledReason: 'phishing' });
    const page = await follow(b.baseUrl, `/${link.phrase}`);
    expect(page.status).toBe(410);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('disabled');
    const api = await follow(b.baseUrl, `/v1/redirects/${link.phrase}`);
    expect(api.status).toBe(410);
    expect(api.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await problemCode(api)).toBe('Link.Disabled');
    expect((await follow(a.baseUrl, `/${link.phrase}`)).status).toBe(410);

    await adminJson(a.baseUrl, `/links/${link.phrase}/enable`, { method: 'POST' });
    await until(
      async () => (await follow(b.baseUrl, `/${link.phrase}`)).status === 301,
      'the other instance redirects again',
    );
    expect((await follow(a.baseUrl, `/${link.phrase}`)).headers.get('location')).toBe('https://example.com/landing');
  });

  it('answers 410 Link.Deleted after a delete and keeps the counters readable to admins', async () => {
    const link = await cachedEverywhere();
    // Each instance counted one visit of its own: both must be stored before the count is read.
    await Promise.all([a.flushVisits(), b.flushVisits()]);

    await adminJson(a.baseUrl, `/links/${link.phrase}`, { method: 'DELETE' });
    await until(() => b.deps.links.peek?.(link.phrase) === undefined, 'the other instance drops the link');

    const api = await follow(b.baseUrl, `/v1/redirects/${link.phrase}`);
    expect(api.status).toBe(410);
    expect(await problemCode(api)).toBe('Link.Deleted');
    expect((await follow(b.baseUrl, `/${link.phrase}`)).status).toBe(410);
    const view = await adminJson<{ state: string; visits: number; deletedAt: string | null }>(
      b.baseUrl,
      `/links/${link.phrase}`,
    );
    expect(view).toMatchObject({ state: 'deleted', visits: 2 });
    expect(view.deletedAt).not.toBeNull();
    // A deleted link is final.
    const again = await adminJson(a.baseUrl, `/links/${link.phrase}/enable`, { method: 'POST' }, 410);
    expect(again).toMatchObject({ errors: [{ code: 'Link.Deleted' }] });
  });

  it('drops a Redis copy written from a row read just before the takedown', async () => {
    const link = await cachedEverywhere();
    const key = `${a.redis.keyPrefix}link:target:${link.phrase}`;
    const redis = a.redis.connect();
    const stale = await redis.get(key);
    expect(stale).not.toBeNull();

    await adminJson(a.baseUrl, `/links/${link.phrase}/disable`, { method: 'POST' });
    // Another instance racing the takedown puts the old copy back after the first invalidation's delete.
    await redis.set(key, stale!);

    await until(async () => (await redis.exists(key)) === 0, 'the second invalidation removes it');
    await until(() => b.deps.links.peek?.(link.phrase) === undefined, 'the other instance holds no live copy');
    expect((await follow(b.baseUrl, `/${link.phrase}`)).status).toBe(410);
  });

  it('keeps the public stats of a disabled link in the v1 shape, and stops offering its target on the stats page', async () => {
    const link = await cachedEverywhere('https://phish.example/login');
    await adminJson(a.baseUrl, `/links/${link.phrase}/disable`, { method: 'POST' });

    const stats = await fetch(`${b.baseUrl}/v1/links/${link.phrase}`, { headers: jsonHeaders() });
    const page = await (await fetch(`${b.baseUrl}/s/${link.phrase}`)).text();

    expect(Object.keys((await stats.json()) as object)).toEqual([
      'id',
      'phrase',
      'targetUrl',
      'languageId',
      'themeId',
      'visits',
      'botVisits',
      'recentVisits',
      'createdAt',
    ]);
    expect(page).toContain('disabled');
    expect(page).not.toContain('href="https://phish.example/login"');
  });

  it('answers 404 for an unknown phrase and 401 without an admin key', async () => {
    expect(await adminJson(a.baseUrl, '/links/no-such-phrase-here', {}, 404)).toMatchObject({
      errors: [{ code: 'Link.NotFound' }],
    });
    expect(await adminJson(a.baseUrl, '/links', { key: null }, 401)).toMatchObject({
      errors: [{ code: 'General.Unauthorized' }],
    });
  });
});
