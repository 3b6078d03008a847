import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type ConsumeMessage } from 'amqplib';

const run = promisify(execFile);

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

/**
 * Has the broker close every client connection of one vhost, leaving other tests' vhosts alone: the server
 * side of an outage (connection.close 320 CONNECTION_FORCED), as seen during a broker restart or failover.
 */
export async function closeVhostConnections(vhost: string): Promise<void> {
  const ctl = process.env.RABBITMQ_CTL;
  if (!ctl) throw new Error('RABBITMQ_CTL is not set; run scripts/services.sh up');
  await run(ctl, ['close_all_connections', '--vhost', vhost, 'offndat reconnect test']);
}
