import { parseArgs } from 'node:util';
import { connect } from 'amqplib';
import { z } from 'zod';
import { requiredText } from '../core/config/env';
import { parseConfig } from '../core/config/load';
import { replayDeadLetters } from '../core/messaging/dead-letter-replay';
import { QUEUES } from '../core/messaging/topology';

const USAGE = `Usage: npm run dlq:replay -- [--queue ${QUEUES.visits}] [--limit N]
Moves messages from <queue>.dlq back to <queue> with a fresh retry count (needs AMQP_URL).
Queues: ${Object.values(QUEUES).join(', ')}`;

/** Every key the replay reads. */
const replayConfigSchema = z.object({ AMQP_URL: requiredText('RabbitMQ holding the dead-letter queue.') });

/** One-shot CLI: replays a DLQ after the cause of the failures is fixed. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      queue: { type: 'string', default: QUEUES.visits },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const queue = values.queue;
  if (!(Object.values(QUEUES) as string[]).includes(queue)) throw new Error(`unknown queue ${queue}\n${USAGE}`);
  const limit = values.limit === undefined ? undefined : z.coerce.number().int().positive().parse(values.limit);
  const { AMQP_URL } = parseConfig(replayConfigSchema);
  const connection = await connect(AMQP_URL, { clientProperties: { connection_name: 'offndat-dlq-replay' } });
  try {
    const channel = await connection.createConfirmChannel();
    const result = await replayDeadLetters({ channel, queue, limit });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    await channel.close();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dlq replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
