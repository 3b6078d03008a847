import { replayDeadLetters } from '../../core/messaging/dead-letter-replay';
import {
  ATTEMPT_HEADER,
  DEAD_LETTER_REASON_HEADER,
  QUEUES,
  ROUTING_KEYS,
  deadLetterQueueName,
} from '../../core/messaging/topology';
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
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { closeVhostConnections, createTestVhost, type TestVhost } from '../../test/support/amqp';

describe('worker: visits queue', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let broker: TestBroker;
  let service: WorkerService | undefined;

  /** The worker as `worker/main.ts` starts it, with the retry schedule shortened. */
  const startWorker = async () => {
    const config = workerConfigSchema.parse({
      AMQP_URL: vhost.url,
      DATABASE_URL: db.url,
      METRICS_PORT: '0',
      WORKER_BATCH_MAX_WAIT_MS: '10',
      WORKER_RETRY_DELAYS_MS: FAST_RETRIES.join(','),
      QUEUE_DEPTH_INTERVAL_MS: '200',
    });
    const started = await startWorkerService(config, { logger: silentLogger });
    service = started;
    await started.worker.started;
    return started;
  };
  const processed = (outcome: string) =>
    counterValue(service!.metrics.registry, 'offndat_messages_processed_total', { queue: QUEUES.visits, outcome });

  beforeEach(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    broker = await openTestBroker(vhost.url);
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await broker.close();
    await Promise.all([db.drop(), vhost.drop()]);
  });

  it('counts a redelivered batch once', async () => {
    const linkId = await insertLink(db.pools.primary);
    const visits = makeVisits(linkId, 5);
    visits.push(...makeVisits(linkId, 2, true));
    // The same visits twice: a publisher retrying an unconfirmed publish, or the broker redelivering.
    await broker.publishVisits(visits);
    await broker.publishVisits(visits);
    await startWorker();
    await waitFor(async () => (await processed('success')) === 2, 'both deliveries handled');
    expect(await visitCounts(db.pools.primary, linkId)).toEqual({ total: 5, bots: 2, rows: 7 });
  });

  it('retries a failing batch three times, dead-letters it, and counts it once after a replay', async () => {
    const linkId = await insertLink(db.pools.primary);
    const visits = makeVisits(linkId, 3);
    // Every write fails, like a database that lost its table; nothing the data could be blamed on.
    await db.pools.primary.query('ALTER TABLE visits RENAME TO visits_away');
    await startWorker();
    await broker.publishVisits(visits, 'failing-batch');

    await waitFor(async () => (await broker.depth(deadLetterQueueName(QUEUES.visits))) === 1, 'the message in the DLQ');
    expect(await processed('retry')).toBe(3);
    expect(await processed('dead_letter')).toBe(1);
    expect(await processed('success')).toBe(0);
    const dead = await broker.channel.get(deadLetterQueueName(QUEUES.visits), { noAck: false });
    if (dead === false) throw new Error('DLQ unexpectedly empty');
    expect(dead.properties.messageId).toBe('failing-batch');
    expect(dead.properties.headers?.[ATTEMPT_HEADER]).toBe(3);
    expect(dead.properties.headers?.[DEAD_LETTER_REASON_HEADER]).toBe('handler_failed');
    broker.channel.nack(dead, false, true);

    await db.pools.primary.query('ALTER TABLE visits_away RENAME TO visits');
    await waitFor(
      async () => (await broker.depth(deadLetterQueueName(QUEUES.visits))) === 1,
      'the peeked message back in the DLQ',
    );
    const result = await replayDeadLetters({ channel: broker.channel, queue: QUEUES.visits });
    expect(result).toEqual({ queue: QUEUES.visits, replayed: 1, remaining: 0 });
    await waitFor(async () => (await processed('success')) === 1, 'the replayed message handled');
    expect(await visitCounts(db.pools.primary, linkId)).toEqual({ total: 3, bots: 0, rows: 3 });
    // The replay reset the attempt count: one success, no new retries.
    expect(await processed('retry')).toBe(3);
  });

  it('isolates a batch member the database rejects: its neighbours are counted, it alone retries', async () => {
    const linkId = await insertLink(db.pools.primary);
    const good = [makeVisits(linkId, 2), makeVisits(linkId, 3)];
    // Valid to the decoder, refused by PostgreSQL (text cannot hold NUL): SQLSTATE 22021, a data error.
    const bad = makeVisits(linkId, 1).map((v) => ({ ...v, userAgent: 'bad\u0000agent' }));
    for (const visits of [good[0]!, bad, good[1]!]) await broker.publishVisits(visits);
    await startWorker();
    await waitFor(
      async () => (await broker.depth(deadLetterQueueName(QUEUES.visits))) === 1,
      'the bad message in the DLQ',
    );
    expect(await processed('success')).toBe(2);
    expect(await processed('retry')).toBe(3);
    expect(await visitCounts(db.pools.primary, linkId)).toEqual({ total: 5, bots: 0, rows: 5 });
  });

  it('sends poison messages straight to the DLQ without holding up valid ones', async () => {
    const linkId = await insertLink(db.pools.primary);
    await startWorker();
    await broker.publishRaw(
      ROUTING_KEYS.linkVisited,
      Buffer.from('{"visits": [{"visitId": "not-a-uuid"}]}'),
      'LinkVisited',
    );
    await broker.publishRaw(ROUTING_KEYS.linkVisited, Buffer.from('not json'));
    await broker.publishVisits(makeVisits(linkId, 4));
    await waitFor(
      async () => (await processed('dead_letter')) === 2 && (await processed('success')) === 1,
      'all three settled',
    );
    expect(await processed('retry')).toBe(0);
    expect(await broker.depth(deadLetterQueueName(QUEUES.visits))).toBe(2);
    const dead = await broker.channel.get(deadLetterQueueName(QUEUES.visits), { noAck: true });
    expect(dead && dead.properties.headers?.[DEAD_LETTER_REASON_HEADER]).toBe('invalid_message');
    expect((await visitCounts(db.pools.primary, linkId)).total).toBe(4);
  });

  it('reconnects and consumes again after the broker drops its connections', async () => {
    const linkId = await insertLink(db.pools.primary);
    const running = await startWorker();
    await broker.publishVisits(makeVisits(linkId, 2));
    await waitFor(async () => (await processed('success')) === 1, 'the first message handled');

    await closeVhostConnections(vhost.vhost);
    await broker.close();
    await waitFor(() => Promise.resolve(!running.worker.isReady()), 'the worker to notice the outage');
    broker = await openTestBroker(vhost.url);
    await broker.publishVisits(makeVisits(linkId, 3));
    await waitFor(async () => (await processed('success')) === 2, 'the message after the reconnect handled');
    await waitFor(() => Promise.resolve(running.worker.isReady()), 'ready again');
    expect((await visitCounts(db.pools.primary, linkId)).total).toBe(5);
  });

  it('finishes the batches in flight on stop: every visit is counted or still queued', async () => {
    const linkId = await insertLink(db.pools.primary);
    const perMessage = 50;
    const messages = 6;
    for (let i = 0; i < messages; i += 1) await broker.publishVisits(makeVisits(linkId, perMessage));
    // Hold the batch inside its transaction: the worker's INSERT waits for this lock.
    const blocker = await db.pools.primary.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE visits IN ACCESS EXCLUSIVE MODE');
    try {
      const running = await startWorker();
      // Probe from another connection: inside the blocker's transaction pg_stat_activity is a snapshot taken at
      // first access, so a batch that starts waiting after the first probe would never be seen.
      await waitFor(async () => {
        const waiting = await db.pools.primary.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO visits%'",
        );
        return waiting.rowCount !== null && waiting.rowCount > 0;
      }, 'a batch blocked in its transaction');
      const stopped = running.stop();
      await blocker.query('COMMIT');
      await stopped;
    } finally {
      blocker.release();
    }
    const counted = (await visitCounts(db.pools.primary, linkId)).total;
    const stillQueued = await broker.depth(QUEUES.visits);
    expect(counted).toBeGreaterThan(0);
    expect(counted % perMessage).toBe(0);
    expect(counted + stillQueued * perMessage).toBe(messages * perMessage);
    expect(await processed('success')).toBe(counted / perMessage);
    expect(await processed('retry')).toBe(0);
  });
});
