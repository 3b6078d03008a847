import { freePort } from '../../test/support/ports';
import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';

/** A read replica that cannot answer (down, failing over) costs the primary some reads, not the stats pages. */

let api: BootedApi;

beforeAll(async () => {
  // Nothing listens on this port: every query to the "replica" fails at once with ECONNREFUSED.
  const deadReplica = `postgres://offndat:unused@127.0.0.1:${await freePort()}/offndat`;
  api = await bootApi({ env: { DATABASE_READ_URL: deadReplica, DB_READ_POOL_MAX: '2' } });
});
afterAll(() => api.close());

it('GET /v1/links/{phrase} answers from the primary when the replica fails', async () => {
  const link = await createLink(api.baseUrl, { targetUrl: 'https://example.com/replica-down' });

  const response = await fetch(`${api.baseUrl}/v1/links/${link.phrase}`, { headers: jsonHeaders() });

  expect(response.status).toBe(200);
  expect(((await response.json()) as { targetUrl: string }).targetUrl).toBe('https://example.com/replica-down');
});

it('the stats page /s/{phrase} answers from the primary when the replica fails', async () => {
  const link = await createLink(api.baseUrl, { targetUrl: 'https://example.com/replica-down-page' });

  const response = await fetch(`${api.baseUrl}/s/${link.phrase}`);

  expect(response.status).toBe(200);
  expect(await response.text()).toContain('https://example.com/replica-down-page');
});

it('an unknown phrase is still 404 Link.NotFound, decided by the primary', async () => {
  const response = await fetch(`${api.baseUrl}/v1/links/no-such-phrase-here`, { headers: jsonHeaders() });

  expect(response.status).toBe(404);
  expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('Link.NotFound');
});
