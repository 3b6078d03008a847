import type { ConfirmChannel, Options } from 'amqplib';
import { republishProperties, sendConfirmed } from './retry-router';
import { deadLetterQueueName } from './topology';

export interface ReplayOptions {
  readonly channel: ConfirmChannel;
  /** The work queue whose DLQ is drained. */
  readonly queue: string;
  /** At most this many messages; default: what the DLQ held when the replay began. */
  readonly limit?: number | undefined;
}

export interface ReplayResult {
  readonly queue: string;
  readonly replayed: number;
  readonly remaining: number;
}

/** Our bookkeeping headers; a replayed message starts a fresh retry cycle. */
const OWN_HEADERS = /^x-offndat-/;

/**
 * Moves dead-lettered messages back to their work queue once the cause is fixed. Each message is acked from
 * the DLQ only after the work queue has confirmed the copy, so a crash mid-replay duplicates at worst (the
 * handlers are idempotent) and never loses one. The default limit is the DLQ's depth at the start, so
 * messages that fail again and come back during the replay are not replayed in a loop.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayResult> {
  const { channel, queue } = options;
  const dlq = deadLetterQueueName(queue);
  const limit = options.limit ?? (await channel.checkQueue(dlq)).messageCount;
  let replayed = 0;
  while (replayed < limit) {
    const message = await channel.get(dlq, { noAck: false });
    if (message === false) break;
    const headers = Object.fromEntries(
      Object.entries(message.properties.headers ?? {}).filter(([name]) => !OWN_HEADERS.test(name)),
    );
    const properties: Options.Publish = republishProperties(
      { ...message, properties: { ...message.properties, headers } },
      {
        'x-offndat-replayed-at': new Date().toISOString(),
      },
    );
    try {
      await sendConfirmed(channel, queue, message.content, properties);
    } catch (error) {
      channel.nack(message, false, true);
      throw error;
    }
    channel.ack(message);
    replayed += 1;
  }
  return { queue, replayed, remaining: (await channel.checkQueue(dlq)).messageCount };
}
