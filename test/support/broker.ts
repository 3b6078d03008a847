import { connect, type ConsumeMessage } from 'amqplib';

/**
 * Takes (and acks) every message in `queue` at the time of the call. Consumes rather than polls with
 * basic.get, which costs a consensus round trip per message on a quorum queue.
 */
export async function takeMessages(url: string, queue: string): Promise<ConsumeMessage[]> {
  const model = await connect(url);
  try {
    const channel = await model.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    const messages: ConsumeMessage[] = [];
    if (messageCount > 0) {
      await channel.prefetch(Math.min(messageCount, 1_000));
      await new Promise<void>((resolve, reject) => {
        channel
          .consume(queue, (message) => {
            if (!message) return reject(new Error(`consumer of ${queue} cancelled`));
            messages.push(message);
            channel.ack(message);
            if (messages.length === messageCount) resolve();
          })
          .catch(reject);
      });
    }
    await channel.close();
    return messages;
  } finally {
    await model.close();
  }
}
