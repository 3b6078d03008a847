import type { Channel, Options } from 'amqplib';

/**
 * The broker layout shared by every publisher and consumer. Both sides assert it on connect (asserting is
 * idempotent), so whichever process starts first creates it and neither depends on the other's start order.
 * Names and arguments are a contract: changing a queue argument makes the next assert fail with
 * PRECONDITION_FAILED against a broker that already holds the old queue.
 */
export const EVENTS_EXCHANGE = 'offndat.events';

export const ROUTING_KEYS = { linkVisited: 'link.visited', linkCreated: 'link.created' } as const;

/**
 * AMQP `type` property of each message, and the outbox `event_type` of the rows relayed as one; consumers
 * dispatch and validate on it.
 */
export const MESSAGE_TYPES = { linkVisited: 'LinkVisited', linkCreated: 'LinkCreated' } as const;
export type MessageType = (typeof MESSAGE_TYPES)[keyof typeof MESSAGE_TYPES];

export const QUEUES = { visits: 'offndat.visits', linkCreated: 'offndat.link-created' } as const;
export type WorkQueue = (typeof QUEUES)[keyof typeof QUEUES];

/** Number of the delivery attempt that failed last; absent on a first delivery. Reset by the DLQ replay. */
export const ATTEMPT_HEADER = 'x-offndat-attempt';
/** Why a message was dead-lettered (`handler_failed`, `invalid_message`), for whoever inspects the DLQ. */
export const DEAD_LETTER_REASON_HEADER = 'x-offndat-dead-letter-reason';

/**
 * Retry schedule of the scalability document: 3 retries, 1 s then +2 s each. Retry N waits in
 * `<queue>.retry.N`, whose TTL dead-letters it back to the work queue through the default exchange.
 */
export const RETRY_DELAYS_MS = [1_000, 3_000, 5_000] as const;
export const MAX_RETRIES = RETRY_DELAYS_MS.length;

export const retryQueueName = (queue: string, retry: number): string => `${queue}.retry.${retry}`;
export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;

/** Properties every event carries. Persistent because a visit acknowledged to the publisher must survive a broker restart. */
export function eventProperties(type: MessageType, messageId: string, timestamp = Date.now()): Options.Publish {
  return {
    contentType: 'application/json',
    type,
    messageId,
    persistent: true,
    // AMQP timestamps are whole seconds.
    timestamp: Math.floor(timestamp / 1000),
  };
}

/** Message bodies are JSON; each feature declares its own body type (`LinkVisitedMessage`, `LinkCreatedMessage`). */
export function encodeMessage(body: object): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/**
 * Quorum queues: replicated and fsync'd in a RabbitMQ cluster (the operator's default queue type), and on a
 * single node they still support what this layout needs (message TTL and at-least-once dead-lettering,
 * RabbitMQ 3.10+). The type is explicit so a broker default never changes it behind our back.
 */
const QUORUM = { 'x-queue-type': 'quorum' } as const;

/** Queue arguments, exported so tests and the replay tool can check or re-declare them exactly. */
export function workQueueArguments(queue: string): Record<string, unknown> {
  // Whatever the broker gives up on itself (a nack without requeue, a quorum queue's delivery limit, 20 by
  // default in RabbitMQ 4, reached by a message that crashes its consumers) lands in the DLQ too.
  return { ...QUORUM, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': deadLetterQueueName(queue) };
}

export function retryQueueArguments(queue: string, retry: number): Record<string, unknown> {
  const ttl = RETRY_DELAYS_MS[retry - 1];
  if (ttl === undefined) throw new RangeError(`retry ${retry} is outside 1..${MAX_RETRIES}`);
  return {
    ...QUORUM,
    'x-message-ttl': ttl,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    // Without these a quorum queue dead-letters at-most-once: an expiring retry could be lost in a failover.
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

export function deadLetterQueueArguments(): Record<string, unknown> {
  return { ...QUORUM };
}

const BINDINGS: ReadonlyArray<readonly [WorkQueue, string]> = [
  [QUEUES.visits, ROUTING_KEYS.linkVisited],
  [QUEUES.linkCreated, ROUTING_KEYS.linkCreated],
];

/** Declares the exchange, the work queues with their bindings, their retry queues and their DLQs. */
export async function assertTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
  for (const [queue, routingKey] of BINDINGS) {
    await channel.assertQueue(deadLetterQueueName(queue), { durable: true, arguments: deadLetterQueueArguments() });
    await channel.assertQueue(queue, { durable: true, arguments: workQueueArguments(queue) });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, routingKey);
    for (let retry = 1; retry <= MAX_RETRIES; retry += 1) {
      await channel.assertQueue(retryQueueName(queue, retry), {
        durable: true,
        arguments: retryQueueArguments(queue, retry),
      });
    }
  }
}
