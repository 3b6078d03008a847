import type { Logger } from '../logging/logger';
import type { EventPublisher } from './event-publisher';
import type { MessageType } from './topology';

export interface InProcessEvent {
  readonly type: MessageType;
  readonly routingKey: string;
  readonly messageId: string;
  readonly body: unknown;
}

/**
 * The single-process mode's publisher (no `AMQP_URL`): events go straight to `handle`, or are only logged
 * when nothing consumes them. A rejecting handler fails the publish, so the outbox row stays pending.
 */
export function createInProcessEventPublisher(options: {
  logger: Logger;
  handle?: ((event: InProcessEvent) => Promise<void>) | undefined;
}): EventPublisher {
  return {
    async publish(type, routingKey, messageId, body) {
      if (options.handle) await options.handle({ type, routingKey, messageId, body });
      else options.logger.debug({ type, messageId }, 'event delivered in process');
    },
    isReady: () => true,
  };
}
