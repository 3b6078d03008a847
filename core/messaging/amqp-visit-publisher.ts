import type { ConfirmChannel } from 'amqplib';
import type { AmqpConnection } from './amqp-connection';
import { createBatchingVisitSink, type BatchingOptions, type BufferedVisitSink, type VisitBatch } from './batching-visit-sink';
import { encodeMessage, eventProperties, EVENTS_EXCHANGE, MESSAGE_TYPES, ROUTING_KEYS } from './topology';

export interface AmqpVisitPublisherOptions extends BatchingOptions {
  readonly connection: AmqpConnection;
}

/** Publishes one message and resolves on the broker's ack; a nack or a channel lost before the ack rejects. */
export function publishConfirmed(
  channel: ConfirmChannel,
  routingKey: string,
  content: Buffer,
  properties: Parameters<ConfirmChannel['publish']>[3],
): Promise<void> {
  return new Promise((resolve, reject) => {
    // A closed channel throws synchronously; inside the executor that becomes a rejection.
    channel.publish(EVENTS_EXCHANGE, routingKey, content, properties, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('message nacked by the broker')) : resolve(),
    );
  });
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
  async function deliver(batch: VisitBatch): Promise<void> {
    const channel = await connection.confirmChannel();
    const properties = eventProperties(MESSAGE_TYPES.linkVisited, batch.id);
    await publishConfirmed(channel, ROUTING_KEYS.linkVisited, encodeMessage({ visits: batch.visits }), properties);
  }
  return createBatchingVisitSink(deliver, options);
}
