import { publishConfirmed, type AmqpConnection } from './amqp-connection';
import type { EventPublisher } from './event-publisher';
import { eventProperties } from './topology';

/**
 * Single events on the shared confirm channel (the outbox relay's publisher). Unlike the visit publisher it
 * does not wait out an outage: it fails at once while disconnected, because its caller holds row locks.
 */
export function createAmqpEventPublisher(connection: AmqpConnection): EventPublisher {
  return {
    async publish(type, routingKey, messageId, body) {
      if (!connection.isConnected()) throw new Error('AMQP connection unavailable');
      const channel = await connection.confirmChannel();
      await publishConfirmed(channel, routingKey, Buffer.from(JSON.stringify(body)), eventProperties(type, messageId));
    },
    isReady: () => connection.isConnected(),
  };
}
