import { ConfigError, schemaShape } from '../core/config/load';
import { apiConfigSchema, loadApiConfig } from './config';

/** The one key without a default. */
const DATABASE = { DATABASE_URL: 'postgres://localhost/offndat' };

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadApiConfig({ ...DATABASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.split(':')[0] ?? '');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadApiConfig', () => {
  it('defaults BASE_URL to the local port and trims a trailing slash from a configured one', () => {
    expect(loadApiConfig({ ...DATABASE, PORT: '9000' }).BASE_URL).toBe('http://localhost:9000');
    expect(loadApiConfig({ ...DATABASE, BASE_URL: 'https://sho.rt/' }).BASE_URL).toBe('https://sho.rt');
  });

  it('relays the outbox from the API only when there is no broker (and so no worker), unless told otherwise', () => {
    expect(loadApiConfig(DATABASE).OUTBOX_RELAY_ENABLED).toBe(true);
    expect(loadApiConfig({ ...DATABASE, AMQP_URL: 'amqp://localhost' }).OUTBOX_RELAY_ENABLED).toBe(false);
    expect(
      loadApiConfig({ ...DATABASE, AMQP_URL: 'amqp://localhost', OUTBOX_RELAY_ENABLED: 'true' }).OUTBOX_RELAY_ENABLED,
    ).toBe(true);
    expect(loadApiConfig({ ...DATABASE, OUTBOX_RELAY_ENABLED: 'off' }).OUTBOX_RELAY_ENABLED).toBe(false);
  });

  it('splits comma-separated lists and drops blanks', () => {
    expect(loadApiConfig({ ...DATABASE, API_KEYS: 'a, b,,', CORS_ORIGINS: '' })).toMatchObject({
      API_KEYS: ['a', 'b'],
      CORS_ORIGINS: [],
    });
  });

  it('rejects what would misbehave later: a redirect status that is not a redirect, a non-http base URL', () => {
    expect(issuesOf({ REDIRECT_STATUS: '200' })).toEqual(['REDIRECT_STATUS']);
    expect(issuesOf({ BASE_URL: 'ftp://sho.rt' })).toEqual(['BASE_URL']);
  });

  it('requires DATABASE_URL', () => {
    expect(issuesOf({ DATABASE_URL: '' })).toEqual(['DATABASE_URL']);
  });

  it('lists every invalid key at once, whichever feature declares it', () => {
    const issues = issuesOf({
      PORT: 'eighty',
      CACHE_L1_TTL_SEC: '1',
      RATE_LIMIT_API_IP_PER_MIN: '0',
      VISIT_IP_MODE: 'blur',
      LOG_LEVEL: 'loud',
    });

    expect(issues.sort()).toEqual([
      'CACHE_L1_TTL_SEC',
      'LOG_LEVEL',
      'PORT',
      'RATE_LIMIT_API_IP_PER_MIN',
      'VISIT_IP_MODE',
    ]);
  });

  it.each(Object.entries(schemaShape(apiConfigSchema)))('describes %s in one line', (_key, schema) => {
    expect(schema.description).toMatch(/^[^\n]{10,}$/);
  });
});
