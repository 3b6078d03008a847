import type { MessageType } from './topology';

/** Publishes one event and resolves once it is safely handed over (broker confirm, or local handler done). */
export interface EventPublisher {
  publish(type: MessageType, routingKey: string, messageId: string, body: unknown): Promise<void>;
  /** False while publishing would certainly fail (broker unreachable), so callers can skip work that holds locks. */
  isReady(): boolean;
}
