import { createLink, type BootedApi } from './support/boot-api';
import { adminJson, bootAdminApi, follow, problemCode, until } from './support/admin';

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

describe('expiry by time', () => {
  it('answers 410 Link.Expired once the expiry has passed, and redirects again when it is cleared', async () => {
    const link = await createLink(a.baseUrl);
    expect((await follow(b.baseUrl, `/${link.phrase}`)).status).toBe(301);

    const view = await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, {
      method: 'PUT',
      body: { expiresAt: new Date(Date.now() - 1_000).toISOString() },
    });
    await until(() => b.deps.links.peek?.(link.phrase) === undefined, 'the other instance drops the link');

    expect(view).toMatchObject({ state: 'expired' });
    const api = await follow(b.baseUrl, `/v1/redirects/${link.phrase}`);
    expect(api.status).toBe(410);
    expect(await problemCode(api)).toBe('Link.Expired');

    await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, { method: 'DELETE' });
    await until(async () => (await follow(b.baseUrl, `/${link.phrase}`)).status === 301, 'the link redirects again');
  });

  it('keeps a cached link no longer than its expiry, without any message', async () => {
    const link = await createLink(a.baseUrl);
    await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, {
      method: 'PUT',
      body: { expiresAt: new Date(Date.now() + 1_500).toISOString() },
    });
    expect((await follow(b.baseUrl, `/${link.phrase}`)).status).toBe(301);
    expect(b.deps.links.peek?.(link.phrase)?.expiresAt).toEqual(expect.any(Number));

    await until(async () => (await follow(b.baseUrl, `/${link.phrase}`)).status === 410, 'the cached copy expires');

    expect(await problemCode(await follow(b.baseUrl, `/v1/redirects/${link.phrase}`))).toBe('Link.Expired');
  });
});

describe('expiry by visit budget', () => {
  it('redirects exactly the budgeted number of counted visits on one instance; bots and HEAD do not count', async () => {
    const link = await createLink(a.baseUrl);
    await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, { method: 'PUT', body: { maxVisits: 2 } });

    const head = await follow(a.baseUrl, `/${link.phrase}`, 'HEAD');
    const bot = await fetch(`${a.baseUrl}/${link.phrase}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'curl/8.0' },
    });
    const first = await follow(a.baseUrl, `/${link.phrase}`);
    const second = await follow(a.baseUrl, `/${link.phrase}`);
    const third = await follow(a.baseUrl, `/v1/redirects/${link.phrase}`);

    expect([head.status, bot.status, first.status, second.status, third.status]).toEqual([301, 301, 301, 301, 410]);
    expect(await problemCode(third)).toBe('Link.Expired');
  });

  it('stops the other instances once the visits that spent the budget are stored', async () => {
    const link = await createLink(a.baseUrl);
    await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, { method: 'PUT', body: { maxVisits: 2 } });
    expect((await follow(b.baseUrl, `/${link.phrase}`, 'HEAD')).status).toBe(301);
    expect(b.deps.links.peek?.(link.phrase)?.visitsLeft).toBe(2);

    for (let i = 0; i < 2; i += 1) expect((await follow(a.baseUrl, `/${link.phrase}`)).status).toBe(301);
    await a.flushVisits();

    await until(() => b.deps.links.peek?.(link.phrase) === undefined, 'the other instance drops the link');
    expect((await follow(b.baseUrl, `/${link.phrase}`)).status).toBe(410);
    expect(await adminJson(a.baseUrl, `/links/${link.phrase}`)).toMatchObject({
      state: 'expired',
      visits: 2,
      maxVisits: 2,
    });
  });

  it('rejects a budget below 1 and an empty change with Admin.InvalidRequest', async () => {
    const link = await createLink(a.baseUrl);
    for (const body of [{ maxVisits: 0 }, {}, { expiresAt: 'tomorrow' }]) {
      expect(await adminJson(a.baseUrl, `/links/${link.phrase}/expiry`, { method: 'PUT', body }, 400)).toMatchObject({
        errors: [{ code: 'Admin.InvalidRequest' }],
      });
    }
  });
});
