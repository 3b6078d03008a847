import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { serviceEnv } from './services-env';

/** ioredis' own `replyMapping` is typed apart from the constructor's (it breaks with exactOptionalPropertyTypes). */
export type TestRedisOptions = Omit<RedisOptions, 'replyMapping'>;

export interface TestRedis {
  readonly url: string;
  /** Unique per call; pass it to the code under test (cache `keyPrefix`, limiter `keyPrefix`). Ends with ':'. */
  readonly keyPrefix: string;
  /** A new client on the test Redis (no key prefix applied); closed by `close()`. */
  connect(options?: TestRedisOptions): Redis;
  /** Keys under `keyPrefix` currently stored. */
  keys(): Promise<string[]>;
  /** Deletes every key under `keyPrefix`, then disconnects all clients made by `connect()`. */
  close(): Promise<void>;
}

/** One shared Redis, isolated per test by key prefix: parallel test files never touch each other's keys. */
export function createTestRedis(): TestRedis {
  const url = serviceEnv('TEST_REDIS_URL');
  const keyPrefix = `offndat-test:${randomBytes(8).toString('hex')}:`;
  const clients: Redis[] = [];
  const connect = (options: TestRedisOptions = {}): Redis => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
    // Tests that stop Redis on purpose would otherwise crash on the unhandled 'error' event.
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const scanKeys = async (client: Redis): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  const withCleaner = async <T>(work: (client: Redis) => Promise<T>): Promise<T> => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await work(client);
    } finally {
      client.disconnect();
    }
  };
  return {
    url,
    keyPrefix,
    connect,
    keys: () => withCleaner(scanKeys),
    async close() {
      await withCleaner(async (client) => {
        const keys = await scanKeys(client);
        if (keys.length > 0) await client.del(...keys);
      }).catch(() => undefined);
      for (const client of clients.splice(0)) client.disconnect();
    },
  };
}
