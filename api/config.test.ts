import { loadApiConfig } from './config';

describe('loadApiConfig', () => {
  it('defaults BASE_URL to the local port and trims a trailing slash from a configured one', () => {
    expect(loadApiConfig({ PORT: '9000' }).BASE_URL).toBe('http://localhost:9000');
    expect(loadApiConfig({ BASE_URL: 'https://sho.rt/' }).BASE_URL).toBe('https://sho.rt');
  });

  it('relays the outbox from the API only when there is no broker (and so no worker), unless told otherwise', () => {
    expect(loadApiConfig({}).OUTBOX_RELAY_ENABLED).toBe(true);
    expect(loadApiConfig({ AMQP_URL: 'amqp://localhost' }).OUTBOX_RELAY_ENABLED).toBe(false);
    expect(loadApiConfig({ AMQP_URL: 'amqp://localhost', OUTBOX_RELAY_ENABLED: 'true' }).OUTBOX_RELAY_ENABLED).toBe(true);
  });

  it('splits comma-separated lists and drops blanks', () => {
    expect(loadApiConfig({ API_KEYS: 'a, b,,', CORS_ORIGINS: '' })).toMatchObject({ API_KEYS: ['a', 'b'], CORS_ORIGINS: [] });
  });

  it('rejects what would misbehave later: a redirect status that is not a redirect, a non-http base URL', () => {
    expect(() => loadApiConfig({ REDIRECT_STATUS: '200' })).toThrow(/REDIRECT_STATUS/);
    expect(() => loadApiConfig({ BASE_URL: 'ftp://sho.rt' })).toThrow(/BASE_URL/);
  });
});
