import { randomUUID } from 'node:crypto';
import type { ConsumeMessage } from 'amqplib';
import pino from 'pino';
import { createAmqpConnection, type AmqpConnection } from '../../core/messaging/amqp-connection';
import { createAmqpVisitPublisher } from '../../core/visits/amqp-visit-publisher';
import { QUEUES } from '../../core/messaging/topology';
import type { LinkVisitedMessage } from '../../core/visits/link-visited-message';
import { createMetrics } from '../../core/metrics/metrics';
import type { LinkVisited } from '../../core/visits/visit';
import { closeVhostConnections, createTestVhost, type TestVhost } from '../support/amqp';
import { takeMessages } from '../support/broker';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const logger = pino({ level: 'silent' });
const fastReconnect = { initialDelayMs: 20, maxDelayMs: 200 };

function visit(): LinkVisited {
  return {
    visitId: randomUUID(),
    linkId: randomUUID(),
    languageId: 0,
    themeId: 1,
    visitedAt: new Date().toISOString(),
    ipAddress: '203.0.113.0',
    userAgent: 'jest',
    referrer: null,
    isBot: false,
  };
}

function visitIds(messages: readonly ConsumeMessage[]): Set<string> {
  return new Set(
    messages.flatMap((m) => (JSON.parse(m.content.toString()) as LinkVisitedMessage).visits.map((v) => v.visitId)),
  );
}

async function counted(metrics: ReturnType<typeof createMetrics>, outcome: string): Promise<number> {
  const { values } = await metrics.visitsPublished.get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** Polls until `condition` holds (the jest timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('AMQP visit publisher', () => {
  let vhost: TestVhost;
  let connection: AmqpConnection | undefined;
  let proxy: TcpProxy | undefined;

  beforeEach(async () => {
    vhost = await createTestVhost();
  });

  afterEach(async () => {
    await connection?.close();
    await proxy?.close();
    connection = undefined;
    proxy = undefined;
    await vhost.drop();
  });

  it('publishes confirmed batches of visits to the visits queue', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    connection = createAmqpConnection({ url: vhost.url, logger });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      maxBuffer: 10_000,
      metrics,
      batchSize: 500,
      flushIntervalMs: 20,
    });
    const emitted = Array.from({ length: 1_200 }, visit);

    for (const v of emitted) publisher.emit(v);
    await publisher.flush();
    const messages = await takeMessages(vhost.url, QUEUES.visits);

    expect(messages.map((m) => (JSON.parse(m.content.toString()) as LinkVisitedMessage).visits.length).sort()).toEqual([
      200, 500, 500,
    ]);
    expect(visitIds(messages)).toEqual(new Set(emitted.map((v) => v.visitId)));
    for (const { properties } of messages) {
      expect(properties).toMatchObject({ contentType: 'application/json', type: 'LinkVisited', deliveryMode: 2 });
      expect(properties.messageId).toEqual(expect.any(String));
      expect(properties.timestamp).toEqual(expect.any(Number));
    }
    expect(await counted(metrics, 'confirmed')).toBe(1_200);
    expect(publisher.size()).toBe(0);
  });

  it('keeps visits emitted while the broker is unreachable and publishes them after reconnecting', async () => {
    const broker = new URL(vhost.url);
    proxy = await startTcpProxy(broker.hostname, Number(broker.port));
    const viaProxy = new URL(vhost.url);
    viaProxy.port = String(proxy.port);
    connection = createAmqpConnection({ url: viaProxy.toString(), logger, reconnect: fastReconnect });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      maxBuffer: 10_000,
      batchSize: 50,
      flushIntervalMs: 10,
    });
    const before = Array.from({ length: 120 }, visit);
    const during = Array.from({ length: 130 }, visit);

    for (const v of before) publisher.emit(v);
    await publisher.flush();
    proxy.cut();
    await until(() => !connection!.isConnected());
    for (const v of during) publisher.emit(v);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bufferedDuringOutage = publisher.size();
    proxy.restore();
    await publisher.flush();
    const arrived = visitIds(await takeMessages(vhost.url, QUEUES.visits));

    expect(bufferedDuringOutage).toBe(during.length);
    expect(arrived).toEqual(new Set([...before, ...during].map((v) => v.visitId)));
  });

  it('counts every attempt that found no broker as failed while the outage lasts', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const broker = new URL(vhost.url);
    proxy = await startTcpProxy(broker.hostname, Number(broker.port));
    const viaProxy = new URL(vhost.url);
    viaProxy.port = String(proxy.port);
    connection = createAmqpConnection({ url: viaProxy.toString(), logger, reconnect: fastReconnect });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      metrics,
      maxBuffer: 10_000,
      batchSize: 50,
      flushIntervalMs: 10,
      channelWaitMs: 50,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    await connection.confirmChannel();
    proxy.cut();
    await until(() => !connection!.isConnected());

    for (const v of Array.from({ length: 30 }, visit)) publisher.emit(v);
    while ((await counted(metrics, 'failed')) < 60) await new Promise((resolve) => setTimeout(resolve, 20));
    proxy.restore();
    await publisher.flush();

    expect(await counted(metrics, 'confirmed')).toBe(30);
    expect(publisher.size()).toBe(0);
  });

  it('buffers visits emitted before the broker was ever reachable', async () => {
    const broker = new URL(vhost.url);
    proxy = await startTcpProxy(broker.hostname, Number(broker.port));
    proxy.cut();
    const viaProxy = new URL(vhost.url);
    viaProxy.port = String(proxy.port);
    connection = createAmqpConnection({ url: viaProxy.toString(), logger, reconnect: fastReconnect });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      maxBuffer: 10_000,
      batchSize: 50,
      flushIntervalMs: 10,
    });
    const emitted = Array.from({ length: 75 }, visit);

    for (const v of emitted) publisher.emit(v);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const connectedWhileCut = connection.isConnected();
    proxy.restore();
    await publisher.flush();
    const arrived = visitIds(await takeMessages(vhost.url, QUEUES.visits));

    expect(connectedWhileCut).toBe(false);
    expect(arrived).toEqual(new Set(emitted.map((v) => v.visitId)));
  });

  it('republishes visits after the broker closes the connection', async () => {
    connection = createAmqpConnection({ url: vhost.url, logger, reconnect: fastReconnect });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      maxBuffer: 10_000,
      batchSize: 25,
      flushIntervalMs: 10,
    });
    const before = Array.from({ length: 60 }, visit);
    const after = Array.from({ length: 70 }, visit);

    for (const v of before) publisher.emit(v);
    await publisher.flush();
    await closeVhostConnections(vhost.vhost);
    for (const v of after) publisher.emit(v);
    await publisher.flush();
    const arrived = visitIds(await takeMessages(vhost.url, QUEUES.visits));

    expect(arrived).toEqual(new Set([...before, ...after].map((v) => v.visitId)));
  });

  it('delivers every buffered visit before close() resolves', async () => {
    connection = createAmqpConnection({ url: vhost.url, logger });
    const publisher = createAmqpVisitPublisher({
      connection,
      logger,
      maxBuffer: 10_000,
      batchSize: 10_000,
      flushIntervalMs: 60_000,
    });
    const emitted = Array.from({ length: 300 }, visit);

    for (const v of emitted) publisher.emit(v);
    await publisher.close();
    const arrived = visitIds(await takeMessages(vhost.url, QUEUES.visits));

    expect(arrived).toEqual(new Set(emitted.map((v) => v.visitId)));
  });
});
