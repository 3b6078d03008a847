import { createAmqpConnection, type AmqpConnection } from '../../core/messaging/amqp-connection';
import { createAmqpVisitPublisher } from '../../core/visits/amqp-visit-publisher';
import type { BufferedVisitSink } from '../../core/visits/batching-visit-sink';
import { workerConfigSchema } from '../../worker/config';
import { startWorkerService, type WorkerService } from '../../worker/service';
import { insertLink, makeVisits, silentLogger, visitCounts, waitFor } from '../../worker/test/fixtures';
import { createTestVhost, restartBroker, type TestVhost } from '../support/amqp';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Restarts the shared broker, so it runs in the serial phase of `make test`, after every other suite.
let db: TestDatabase;
let vhost: TestVhost;
let connection: AmqpConnection;
let publisher: BufferedVisitSink;
let worker: WorkerService;

beforeAll(async () => {
  [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  connection = createAmqpConnection({
    url: vhost.url,
    logger: silentLogger,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
  });
  publisher = createAmqpVisitPublisher({
    connection,
    logger: silentLogger,
    maxBuffer: 10_000,
    batchSize: 50,
    flushIntervalMs: 10,
  });
  worker = await startWorkerService(
    workerConfigSchema.parse({ AMQP_URL: vhost.url, DATABASE_URL: db.url, METRICS_PORT: '0', LOG_LEVEL: 'silent' }),
    { logger: silentLogger },
  );
});

afterAll(async () => {
  await publisher.close({ timeoutMs: 5_000 });
  await connection.close();
  await worker.stop();
  await Promise.all([vhost.drop(), db.drop()]);
  // Deleting a vhost whose quorum queues are still starting after a restart can crash RabbitMQ's dead-letter worker
  // supervisor for good, and every at-least-once queue declared later then fails (541 INTERNAL_ERROR). One more
  // restart, with the vhost gone, leaves the broker as healthy as the test found it.
  await restartBroker();
}, 240_000);

describe('a real broker restart', () => {
  it('loses no visit: those buffered while the broker is down are delivered and counted once', async () => {
    const linkId = await insertLink(db.pools.primary);
    await waitFor(
      () => Promise.resolve(connection.isConnected() && worker.worker.isReady()),
      'publisher and worker connected',
    );
    for (const visit of makeVisits(linkId, 300)) publisher.emit(visit);
    await publisher.flush();

    const restart = restartBroker();
    await waitFor(
      () => Promise.resolve(!connection.isConnected()),
      'the publisher noticing the broker is gone',
      60_000,
    );
    for (const visit of makeVisits(linkId, 200)) publisher.emit(visit);
    await restart;
    for (const visit of makeVisits(linkId, 100)) publisher.emit(visit);
    await publisher.flush();

    const counts = await waitFor(
      async () => {
        const current = await visitCounts(db.pools.primary, linkId);
        return current.rows >= 600 && current;
      },
      'all visits persisted',
      60_000,
    );
    expect(counts).toEqual({ total: 600, bots: 0, rows: 600 });
  });
});
