import { randomUUID } from 'node:crypto';
import { linkCreatedRoute, type LinkCreatedPayload } from '../../core/links/link-created';
import { QUEUES } from '../../core/messaging/topology';
import { workerConfigSchema } from '../config';
import { startWorkerService, type WorkerService } from '../service';
import {
  insertLink,
  makeVisits,
  openTestBroker,
  silentLogger,
  visitCounts,
  waitFor,
  type TestBroker,
} from './fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createTestVhost, type TestVhost } from '../../test/support/amqp';

describe('worker service: probes, metrics, outbox relay', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let broker: TestBroker;
  let service: WorkerService | undefined;

  beforeEach(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    broker = await openTestBroker(vhost.url);
  });

  afterEach(async () => {
    await service?.stop();
    await broker.close();
    await Promise.all([db.drop(), vhost.drop()]);
  });

  it('serves /health, /ready and /metrics, and consumes visits and relayed outbox events', async () => {
    const config = workerConfigSchema.parse({
      AMQP_URL: vhost.url,
      DATABASE_URL: db.url,
      METRICS_PORT: '0',
      QUEUE_DEPTH_INTERVAL_MS: '200',
      OUTBOX_RELAY_INTERVAL_MS: '50',
      LOG_LEVEL: 'silent',
    });
    service = await startWorkerService(config, { logger: silentLogger });
    const base = `http://127.0.0.1:${service.port}`;
    const get = (path: string) => fetch(`${base}${path}`);

    expect((await get('/health')).status).toBe(200);
    await waitFor(async () => (await get('/ready')).status === 200, '/ready');

    const linkId = await insertLink(db.pools.primary);
    await broker.publishVisits(makeVisits(linkId, 3));
    // A LinkCreated row in the outbox travels relay -> broker -> consumer inside this one process.
    await db.pools.primary.query('INSERT INTO outbox (message_id, event_type, payload) VALUES ($1, $2, $3)', [
      randomUUID(),
      linkCreatedRoute.eventType,
      JSON.stringify({
        linkId,
        languageId: 0,
        themeId: 0,
        createdAt: new Date().toISOString(),
      } satisfies LinkCreatedPayload),
    ]);

    const metricLine = (text: string, name: string, ...parts: string[]) =>
      text.split('\n').find((line) => line.startsWith(name) && parts.every((part) => line.includes(part)));
    const text = await waitFor(async () => {
      const body = await (await get('/metrics')).text();
      const created = metricLine(
        body,
        'offndat_messages_processed_total',
        `queue="${QUEUES.linkCreated}"`,
        'outcome="success"',
      );
      const visits = metricLine(
        body,
        'offndat_messages_processed_total',
        `queue="${QUEUES.visits}"`,
        'outcome="success"',
      );
      return created?.endsWith(' 1') && visits?.endsWith(' 1') ? body : undefined;
    }, 'both queues processed');
    expect(metricLine(text, 'offndat_messages_processed_total', 'service="worker"')).toBeDefined();
    expect(
      metricLine(text, 'offndat_message_processing_duration_seconds_count', `queue="${QUEUES.visits}"`),
    ).toBeDefined();
    expect(metricLine(text, 'offndat_visit_persist_lag_seconds_count')).toMatch(/ 3$/);
    expect(metricLine(text, 'offndat_rabbitmq_queue_depth', `queue="${QUEUES.visits}.dlq"`)).toBeDefined();
    expect(metricLine(text, 'process_cpu_user_seconds_total', 'service="worker"')).toBeDefined();
    expect(metricLine(text, 'active_connections', 'pool="primary"')).toBeDefined();
    expect((await visitCounts(db.pools.primary, linkId)).total).toBe(3);
    const pending = await db.pools.primary.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(pending.rows[0]).toEqual({ n: 0 });

    const running = service;
    service = undefined;
    await running.stop();
    await expect(get('/health')).rejects.toThrow();
  });

  it('rejects a configuration without AMQP_URL', () => {
    expect(workerConfigSchema.safeParse({ DATABASE_URL: db.url }).success).toBe(false);
  });
});
