import { publishConfirmed, type AmqpConnection } from '../messaging/amqp-connection';
import {
  createBatchingVisitSink,
  type BatchingOptions,
  type BufferedVisitSink,
  type VisitBatch,
} from './batching-visit-sink';
import { eventProperties, MESSAGE_TYPES, ROUTING_KEYS } from '../messaging/topology';
import { encodeVisitBatch } from './visit-batch-encoding';

export interface AmqpVisitPublisherOptions extends BatchingOptions {
  readonly connection: AmqpConnection;
  /**
   * Longest a batch waits for the broker connection before its attempt counts as failed (and is retried with
   * backoff). Waiting for ever would hide an outage: nothing would be counted as failed while the buffer grows.
   */
  readonly channelWaitMs?: number | undefined;
}

const DEFAULT_CHANNEL_WAIT_MS = 5_000;

/**
 * The redirect path's `VisitSink` when a broker is configured: visits are batched into `LinkVisited`
 * messages (`{ visits: [...] }`) and published on the shared confirm channel. A batch counts as sent only
 * after the broker's confirm; on a nack, a lost connection or a broker that stays away it is published again
 * later. Re-publishing after an ambiguous failure may duplicate a batch, which the consumer absorbs because
 * visits are idempotent by `visitId`. `close()` flushes but leaves the shared connection open for its owner.
 */
export function createAmqpVisitPublisher(options: AmqpVisitPublisherOptions): BufferedVisitSink {
  const { connection } = options;
  const channelWaitMs = options.channelWaitMs ?? DEFAULT_CHANNEL_WAIT_MS;
  // A batch that has to be published again (a nack, a reconnect) sends the bytes it was first encoded to.
  const encoded = new WeakMap<VisitBatch, Buffer>();
  async function deliver(batch: VisitBatch): Promise<void> {
    const channel = await within(connection.confirmChannel(), channelWaitMs);
    const properties = eventProperties(MESSAGE_TYPES.linkVisited, batch.id);
    let body = encoded.get(batch);
    if (body === undefined) {
      body = encodeVisitBatch(batch.visits);
      encoded.set(batch, body);
    }
    await publishConfirmed(channel, ROUTING_KEYS.linkVisited, body, properties);
  }
  return createBatchingVisitSink(deliver, options);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`broker unavailable for ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
