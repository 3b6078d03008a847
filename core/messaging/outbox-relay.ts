import type { Pool } from 'pg';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import { backoffDelay } from './backoff';
import type { EventPublisher } from './event-publisher';
import type { MessageType } from './topology';

/**
 * How rows of one outbox `event_type` are published. Each feature declares the route of the events it writes
 * (`linkCreatedRoute`), typing the payload its rows hold and the message body they become.
 */
export interface OutboxRoute<Payload extends object = object, Body extends object = object> {
  readonly eventType: MessageType;
  readonly routingKey: string;
  /**
   * The body of one message carrying every claimed row of this type, in claim order, each with its `eventId`.
   * Method syntax on purpose: a route for one payload type stands in a list of routes for any.
   */
  body(events: Array<Payload & { readonly eventId: string }>): Body;
}

export interface OutboxRelayOptions {
  readonly pool: Pool;
  readonly publisher: EventPublisher;
  /** The event types this relay publishes; rows of any other type stay pending for a relay that knows it. */
  readonly routes: readonly OutboxRoute[];
  readonly logger: Logger;
  readonly metrics?: Pick<Metrics, 'outboxBacklog' | 'outboxLag'> | undefined;
  /** Pause between polls that found less than a full batch (OUTBOX_RELAY_INTERVAL_MS). */
  readonly intervalMs: number;
  readonly batchSize?: number | undefined;
  /** Longest the row locks are held waiting for confirms; then the batch is rolled back and retried. */
  readonly publishTimeoutMs?: number | undefined;
}

export interface OutboxRelay {
  start(): void;
  /** Ends the poll loop after the batch in progress. */
  stop(): Promise<void>;
  /** Publishes one batch of pending rows; resolves to how many were published and marked. */
  runOnce(): Promise<number>;
}

interface OutboxRow {
  id: string;
  message_id: string;
  event_type: string;
  payload: unknown;
}

const MAX_ERROR_DELAY_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish not confirmed within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves `outbox` rows to the broker. Each batch is claimed with `FOR UPDATE SKIP LOCKED`, published with
 * confirms and marked in the same transaction, so relays in every api and worker replica share the work
 * without publishing a row twice — except after a failure between confirm and commit, when the row is
 * published again (at-least-once; each event carries its row's `message_id` as `eventId` to deduplicate on).
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, publisher, logger, metrics } = options;
  const routes = new Map(options.routes.map((route) => [route.eventType as string, route]));
  const { intervalMs } = options;
  const batchSize = options.batchSize ?? 100;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  let stopping = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  // One message per event type per claim: a broker message costs about as much as the insert that made the
  // row, so one per row would double the cost of creating a link.
  function publishBatches(rows: OutboxRow[]): Promise<void>[] {
    const byType = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const batch = byType.get(row.event_type);
      if (batch) batch.push(row);
      else byType.set(row.event_type, [row]);
    }
    return [...byType].map(([eventType, batch]) => {
      const route = routes.get(eventType)!;
      const events = batch.map((row) => ({ ...(row.payload as object), eventId: row.message_id }));
      // The first row's id names the message: the same claim retried after a failure gets the same id.
      return publisher.publish(route.eventType, route.routingKey, batch[0]!.message_id, route.body(events));
    });
  }

  async function runOnce(): Promise<number> {
    if (!publisher.isReady()) return 0;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, message_id, event_type, payload FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      const routable = rows.filter((row) => routes.has(row.event_type));
      if (routable.length < rows.length) {
        logger.warn(
          { types: [...new Set(rows.map((r) => r.event_type))] },
          'outbox rows of unknown event type left pending',
        );
      }
      await withTimeout(Promise.all(publishBatches(routable)), publishTimeoutMs);
      if (routable.length > 0) {
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
          routable.map((r) => r.id),
        ]);
      }
      await client.query('COMMIT');
      return routable.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function measure(): Promise<void> {
    if (!metrics) return;
    const { rows } = await pool.query<{ backlog: number; lag: number }>(
      `SELECT count(*)::int AS backlog, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS lag
         FROM outbox WHERE published_at IS NULL`,
    );
    metrics.outboxBacklog.set(rows[0]?.backlog ?? 0);
    metrics.outboxLag.set(rows[0]?.lag ?? 0);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let published = 0;
      try {
        published = await runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.warn({ err: error, attempt: failures }, 'outbox relay batch failed; will retry');
      }
      await measure().catch((error: unknown) => logger.warn({ err: error }, 'outbox metrics query failed'));
      if (stopping) break;
      // A full batch means more is probably waiting: go again at once instead of falling behind.
      if (failures === 0 && published >= batchSize) continue;
      await sleep(
        failures === 0
          ? intervalMs
          : backoffDelay(failures, { initialDelayMs: intervalMs, maxDelayMs: MAX_ERROR_DELAY_MS }),
      );
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
    },
    runOnce,
  };
}
