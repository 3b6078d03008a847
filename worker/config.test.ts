import { ConfigError, schemaShape } from '../core/config/load';
import { loadWorkerConfig, workerConfigSchema } from './config';

const required = { AMQP_URL: 'amqp://localhost', DATABASE_URL: 'postgres://localhost/offndat' };

describe('loadWorkerConfig', () => {
  it('relays the outbox by default and reads OUTBOX_RELAY_ENABLED as the api does', () => {
    expect(loadWorkerConfig(required).OUTBOX_RELAY_ENABLED).toBe(true);
    expect(loadWorkerConfig({ ...required, OUTBOX_RELAY_ENABLED: 'auto' }).OUTBOX_RELAY_ENABLED).toBe(true);
    expect(loadWorkerConfig({ ...required, OUTBOX_RELAY_ENABLED: 'false' }).OUTBOX_RELAY_ENABLED).toBe(false);
  });

  it('takes shortened retry delays only as a full set', () => {
    expect(loadWorkerConfig(required).WORKER_RETRY_DELAYS_MS).toBeUndefined();
    expect(loadWorkerConfig({ ...required, WORKER_RETRY_DELAYS_MS: '100, 300,500' }).WORKER_RETRY_DELAYS_MS).toEqual([
      100, 300, 500,
    ]);
    expect(() => loadWorkerConfig({ ...required, WORKER_RETRY_DELAYS_MS: '100' })).toThrow(ConfigError);
  });

  it('lists every missing or invalid key at once', () => {
    let issues: string[] = [];
    try {
      loadWorkerConfig({ WORKER_PREFETCH: '0', OUTBOX_RELAY_ENABLED: 'sometimes' });
    } catch (error) {
      if (error instanceof ConfigError) issues = error.issues.map((issue) => issue.split(':')[0] ?? '');
    }

    expect(issues.sort()).toEqual(['AMQP_URL', 'DATABASE_URL', 'OUTBOX_RELAY_ENABLED', 'WORKER_PREFETCH']);
  });

  it.each(Object.entries(schemaShape(workerConfigSchema)))('describes %s in one line', (_key, schema) => {
    expect(schema.description).toMatch(/^[^\n]{10,}$/);
  });
});
