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
}

/**
 * The redirect path's `VisitSink` when a broker is configured: visits are batched into `LinkVisited`
 * messages (`{ visits: [...] }`) and published on the shared confirm channel. A batch counts as sent only
 * after the broker's confirm; on a nack or a lost connection it is published again after the reconnect.
 * Re-publishing after an ambiguous failure may duplicate a batch, which the consumer absorbs because visits
 * are idempotent by `visitId`. `close()` flushes but leaves the shared connection open for its owner.
 */
export function createAmqpVisitPublisher(options: AmqpVisitPublisherOptions): BufferedVisitSink {
  const { connection } = options;
  // A batch that has to be published again (a nack, a reconnect) sends the bytes it was first encoded to.
  const encoded = new WeakMap<VisitBatch, Buffer>();
  async function deliver(batch: VisitBatch): Promise<void> {
    const channel = await connection.confirmChannel();
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
