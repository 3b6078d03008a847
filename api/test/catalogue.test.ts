import { bootApi, jsonHeaders, type BootedApi } from './support/boot-api';

let api: BootedApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(() => api.close());

describe('catalogue', () => {
  it.each([
    ['formats', '{"formats":[{"value":0,"name":"kebab-case"},{"value":1,"name":"pascal-case"}]}', 78],
    [
      'languages',
      '{"languages":[{"value":0,"name":"English","code":"en"},{"value":1,"name":"Polish","code":"pl"}]}',
      96,
    ],
    [
      'themes',
      '{"themes":[{"value":0,"name":"none"},{"value":1,"name":"proper-names"},{"value":2,"name":"politicians"}]}',
      105,
    ],
  ])('serves %s byte for byte as the original does', async (name, body, length) => {
    const response = await fetch(`${api.baseUrl}/v1/${name}`, { headers: jsonHeaders() });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('api-supported-versions')).toBe('1');
    expect(response.headers.get('content-length')).toBe(String(length));
    expect(await response.text()).toBe(body);
  });

  it('answers without touching the database', async () => {
    // A query on an ended pool throws, so any database access would turn this into a 500.
    await api.deps.pools.primary.end();
    const probe = await fetch(`${api.baseUrl}/v1/links/some-phrase`, { headers: jsonHeaders() });

    const response = await fetch(`${api.baseUrl}/v1/languages`, { headers: jsonHeaders() });

    expect(probe.status).toBe(500);
    expect(response.status).toBe(200);
  });
});
