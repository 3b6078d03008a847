import { createTestVhost, type TestVhost } from '../../test/support/amqp';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createTestRedis, type TestRedis } from '../../test/support/redis';
import { workerConfigSchema } from '../config';
import { startWorkerService, type WorkerService } from '../service';
import { insertLink, makeVisits, openTestBroker, silentLogger, type TestBroker } from './fixtures';

/** The worker tells every api instance, through Redis, when stored visits spend a link's budget. */
describe('worker: visit budgets', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let redis: TestRedis;
  let broker: TestBroker;
  let service: WorkerService;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    redis = createTestRedis();
    service = await startWorkerService(
      workerConfigSchema.parse({
        AMQP_URL: vhost.url,
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: redis.keyPrefix,
        METRICS_PORT: '0',
        WORKER_BATCH_MAX_WAIT_MS: '10',
      }),
      { logger: silentLogger },
    );
    await service.worker.started;
    broker = await openTestBroker(vhost.url);
  });
  afterAll(async () => {
    await broker?.close();
    await service?.stop();
    await Promise.all([db?.drop(), vhost?.drop(), redis?.close()]);
  });

  it('publishes the phrase once, from the batch whose visits reach the budget; bot visits do not count', async () => {
    const linkId = await insertLink(db.pools.primary);
    await db.pools.primary.query('UPDATE links SET max_visits = 3 WHERE id = $1', [linkId]);
    const subscriber = redis.connect();
    const heard: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => heard.push(message));
    await subscriber.subscribe(`${redis.keyPrefix}link-invalidation`);

    await broker.publishVisits([...makeVisits(linkId, 2), ...makeVisits(linkId, 5, true)]);
    await broker.publishVisits(makeVisits(linkId, 2));
    await broker.publishVisits(makeVisits(linkId, 1));
    for (let i = 0; i < 500 && heard.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    // The last batch is stored too before anything more could be heard.
    for (let i = 0; i < 500; i += 1) {
      const { rows } = await db.pools.primary.query<{ n: string }>(
        'SELECT total_visits AS n FROM link_visit_counters WHERE link_id = $1',
        [linkId],
      );
      if (rows[0]?.n === '5') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(heard.map((m) => (JSON.parse(m) as { phrase?: string }).phrase)).toEqual([`phrase-${linkId}`]);
  });
});
