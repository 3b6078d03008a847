import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'pg';
import { insertLink } from '../../core/links/pg-link-repository';
import { createAmqpConnection, type AmqpConnection } from '../../core/messaging/amqp-connection';
import { createAmqpEventPublisher } from '../../core/messaging/amqp-event-publisher';
import { createOutboxRelay, type OutboxRelay } from '../../core/messaging/outbox-relay';
import { decodeLinkCreated, linkCreatedRoute, type LinkCreatedMessage } from '../../core/links/link-created';
import { QUEUES } from '../../core/messaging/topology';
import { createMetrics } from '../../core/metrics/metrics';
import { createTestVhost, type TestVhost } from '../support/amqp';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { takeMessages } from '../support/broker';

const logger = pino({ level: 'silent' });
const routes = [linkCreatedRoute];

async function insertLinks(pool: Pool, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await insertLink(pool, {
      id,
      phrase: `phrase-${id}`,
      targetUrl: 'https://example.org/',
      languageId: 0,
      themeId: 1,
      createdAt: new Date(),
    });
  }
  return ids;
}

async function pending(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ pending: number }>(
    'SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]!.pending;
}

/** Runs until the outbox is empty, not until this relay finds nothing: a relay skipping locked rows must go on. */
async function drain(relay: OutboxRelay, pool: Pool): Promise<number> {
  let total = 0;
  while ((await pending(pool)) > 0) total += await relay.runOnce();
  return total;
}

describe('outbox relay', () => {
  let database: TestDatabase;
  let vhost: TestVhost;
  let connection: AmqpConnection;

  beforeEach(async () => {
    [database, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    connection = createAmqpConnection({ url: vhost.url, logger });
    await connection.confirmChannel();
  });

  afterEach(async () => {
    await connection.close();
    await Promise.all([database.drop(), vhost.drop()]);
  });

  const eventIds = (messages: Array<{ content: Buffer }>) =>
    messages.flatMap((m) => (JSON.parse(m.content.toString()) as LinkCreatedMessage).links.map((link) => link.eventId));

  it('publishes one LinkCreated message per claim carrying every row, and marks the rows published', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const linkIds = await insertLinks(database.pools.primary, 3);
    const relay = createOutboxRelay({
      pool: database.pools.primary,
      publisher: createAmqpEventPublisher(connection),
      routes,
      logger,
      metrics,
      intervalMs: 500,
    });

    const published = await relay.runOnce();
    const messages = await takeMessages(vhost.url, QUEUES.linkCreated);

    expect(published).toBe(3);
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    const body = JSON.parse(message.content.toString()) as LinkCreatedMessage;
    expect(body.links.map((link) => link.linkId)).toEqual(linkIds);
    for (const link of body.links) {
      // The outbox row's message_id, which for a link is its id.
      expect(link).toMatchObject({ eventId: link.linkId, languageId: 0, themeId: 1 });
      expect(Date.parse(link.createdAt)).not.toBeNaN();
    }
    expect(decodeLinkCreated(message)).toEqual({ ok: true, value: body });
    expect(message.properties).toMatchObject({
      type: 'LinkCreated',
      contentType: 'application/json',
      deliveryMode: 2,
      messageId: linkIds[0],
    });
    expect(await pending(database.pools.primary)).toBe(0);
  });

  it('publishes each row exactly once when two relays run at the same time', async () => {
    const linkIds = await insertLinks(database.pools.primary, 60);
    const publisher = createAmqpEventPublisher(connection);
    const relays = [1, 2].map(() =>
      createOutboxRelay({ pool: database.pools.primary, publisher, routes, logger, batchSize: 5, intervalMs: 500 }),
    );

    const totals = await Promise.all(relays.map((relay) => drain(relay, database.pools.primary)));
    const messages = await takeMessages(vhost.url, QUEUES.linkCreated);
    const ids = eventIds(messages);

    expect(totals[0]! + totals[1]!).toBe(60);
    // Batches of at most five rows: twelve messages when every claim is full, more when the relays split rows.
    expect(messages.length).toBeGreaterThanOrEqual(12);
    expect(ids).toHaveLength(60);
    expect(new Set(ids)).toEqual(new Set(linkIds));
  });

  it('keeps polling once started and reports the backlog it leaves', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const relay = createOutboxRelay({
      pool: database.pools.primary,
      publisher: createAmqpEventPublisher(connection),
      routes,
      logger,
      metrics,
      intervalMs: 50,
    });
    metrics.outboxBacklog.set(-1);

    relay.start();
    const [linkId] = await insertLinks(database.pools.primary, 1);
    let messages = await takeMessages(vhost.url, QUEUES.linkCreated);
    while (messages.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      messages = await takeMessages(vhost.url, QUEUES.linkCreated);
    }
    await relay.stop();
    const backlog = (await metrics.outboxBacklog.get()).values[0]?.value;

    expect(eventIds(messages)).toEqual([linkId]);
    expect(backlog).toBe(0);
  });

  it('leaves rows pending while the broker is unreachable', async () => {
    await insertLinks(database.pools.primary, 2);
    const relay = createOutboxRelay({
      pool: database.pools.primary,
      publisher: createAmqpEventPublisher(connection),
      routes,
      logger,
      intervalMs: 500,
    });
    await connection.close();

    const published = await relay.runOnce();

    expect(published).toBe(0);
    expect(await pending(database.pools.primary)).toBe(2);
  });
});
