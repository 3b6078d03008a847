import { QUEUES, deadLetterQueueName } from '../../core/messaging/topology';
import { createTestVhost, type TestVhost } from '../../test/support/amqp';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy';
import { workerConfigSchema } from '../config';
import { startWorkerService, type WorkerService } from '../service';
import {
  FAST_RETRIES,
  counterValue,
  insertLink,
  makeVisits,
  openTestBroker,
  silentLogger,
  visitCounts,
  waitFor,
  type TestBroker,
} from './fixtures';

// The worker reaches PostgreSQL through a proxy this test can unplug: an outage for this worker only.
let db: TestDatabase;
let vhost: TestVhost;
let broker: TestBroker;
let proxy: TcpProxy;
let service: WorkerService;

const processed = (outcome: string) =>
  counterValue(service.metrics.registry, 'offndat_messages_processed_total', { queue: QUEUES.visits, outcome });
const paused = () => counterValue(service.metrics.registry, 'offndat_consumers_paused', { queue: QUEUES.visits });

beforeAll(async () => {
  [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  broker = await openTestBroker(vhost.url);
  const url = new URL(db.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  service = await startWorkerService(
    workerConfigSchema.parse({
      AMQP_URL: vhost.url,
      DATABASE_URL: url.href,
      METRICS_PORT: '0',
      WORKER_BATCH_MAX_WAIT_MS: '10',
      // The old behaviour dead-lettered after these three retries: an outage many times longer must not.
      WORKER_RETRY_DELAYS_MS: FAST_RETRIES.join(','),
      WORKER_TRANSIENT_RETRY_MAX_DELAY_MS: '500',
    }),
    { logger: silentLogger },
  );
  await service.worker.started;
});

afterAll(async () => {
  await service?.stop();
  await proxy?.close();
  await broker?.close();
  await Promise.all([db?.drop(), vhost?.drop()]);
});

describe('worker: the database becomes unreachable', () => {
  it('holds the visits, pauses consumption and counts them all once the database is back; none dead-lettered', async () => {
    const linkId = await insertLink(db.pools.primary);
    await broker.publishVisits(makeVisits(linkId, 3));
    await waitFor(async () => (await processed('success')) === 1, 'the first message handled');

    proxy.cut();
    for (let i = 0; i < 5; i += 1) await broker.publishVisits(makeVisits(linkId, 4));
    await waitFor(async () => (await paused()) > 0, 'consumption paused');
    // Several times the whole retry schedule: long enough for the old worker to dead-letter every message.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const duringOutage = {
      deadLettered: await broker.depth(deadLetterQueueName(QUEUES.visits)),
      retried: await processed('retry'),
      paused: await paused(),
    };
    proxy.restore();
    await waitFor(async () => (await processed('success')) === 6, 'every held message handled');

    expect(duringOutage).toEqual({ deadLettered: 0, retried: 0, paused: expect.any(Number) as number });
    expect(duringOutage.paused).toBeGreaterThan(0);
    expect(await visitCounts(db.pools.primary, linkId)).toEqual({ total: 23, bots: 0, rows: 23 });
    expect(await paused()).toBe(0);
    expect(await processed('dead_letter')).toBe(0);
  });
});
