import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import { runBatch } from './consumer-batch';
import type { MessageDecoder } from './consumer-messages';
import { deadLetterMessage, forwardFailedMessage } from './retry-router';
import { createTransientHold, type TransientHold, type TransientHoldOptions } from './transient-hold';

export interface BatchConsumerOptions<T> {
  /** A confirm channel of its own: retries are published on it with confirms before the original is acked. */
  readonly channel: ConfirmChannel;
  readonly queue: string;
  readonly decode: MessageDecoder<T>;
  /** Handles the bodies of one batch at once; throwing sends each message down its retry path. */
  readonly handle: (bodies: readonly T[]) => Promise<void>;
  /** Whether a batch failure may be caused by one item's data (then items are retried alone first). */
  readonly isolate?: (error: unknown) => boolean;
  readonly prefetch: number;
  /** A batch is handled when it holds `prefetch` messages (no more can arrive) or this long after its first. */
  readonly maxWaitMs: number;
  /** Failures of a dependency (the database) hold the batch and retry it, instead of the retry queues. */
  readonly transient?: TransientHoldOptions | undefined;
  /** Shortens the retry delays (tests); the topology's queue TTLs stay the upper bound. */
  readonly retryDelaysMs?: readonly number[] | undefined;
  readonly metrics: Pick<Metrics, 'messagesProcessed' | 'messageProcessingDuration'>;
  readonly logger: Logger;
}

export interface BatchConsumer {
  /** Stops deliveries, handles and settles every message already received, then resolves. */
  stop(): Promise<void>;
}

interface Received<T> {
  readonly message: ConsumeMessage;
  readonly body: T;
}

/**
 * Competing consumer that groups deliveries into batches: one handler call (one transaction) per batch is
 * what lets a few consumers keep up with tens of thousands of visits per second. Batches of one channel are
 * handled one after another; parallelism comes from running several channels. Every message is acked only
 * once it is handled or safely forwarded (retry queue or DLQ, confirmed), so nothing is lost in a crash:
 * whatever is unacked is redelivered, and handlers are idempotent. A batch that fails because a dependency is
 * down is held, unacked, and retried until it goes through (`transient-hold.ts`).
 */
export async function startBatchConsumer<T>(options: BatchConsumerOptions<T>): Promise<BatchConsumer> {
  const { channel, queue, logger } = options;
  const log = logger.child({ queue });
  let buffer: Array<Received<T>> = [];
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  const pending = new Set<Promise<void>>();
  let stopping = false;
  const hold: TransientHold | undefined = options.transient && createTransientHold(queue, options.transient);
  // The broker redelivers whatever this channel held; retrying on a dead channel could only fail to ack.
  channel.once('close', () => hold?.abort());

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const ack = (message: ConsumeMessage) => {
    try {
      channel.ack(message);
    } catch (error) {
      // The channel died; the broker will redeliver, and the handler is idempotent.
      log.warn({ err: error }, 'ack failed; message will be redelivered');
    }
  };

  const count = (outcome: 'success' | 'retry' | 'dead_letter', n = 1) => {
    if (n > 0) options.metrics.messagesProcessed.inc({ queue, outcome }, n);
  };

  async function settleFailure(message: ConsumeMessage, error: unknown): Promise<void> {
    try {
      const route = await forwardFailedMessage(channel, queue, message, error, options.retryDelaysMs);
      ack(message);
      count(route.kind === 'retry' ? 'retry' : 'dead_letter');
      log.warn(
        { err: error, messageId: message.properties.messageId as unknown, route: route.queue, attempt: route.attempt },
        'message failed',
      );
    } catch (forwardError) {
      log.error({ err: forwardError, cause: error }, 'could not forward a failed message; leaving it for redelivery');
    }
  }

  async function attempt(batch: ReadonlyArray<Received<T>>): Promise<Array<Received<T>>> {
    const stopTimer = options.metrics.messageProcessingDuration.startTimer({ queue });
    const outcome = await runBatch(batch, (items) => options.handle(items.map((item) => item.body)), options.isolate);
    for (const item of outcome.succeeded) ack(item.message);
    count('success', outcome.succeeded.length);
    const held: Array<Received<T>> = [];
    for (const { item, error } of outcome.failed) {
      if (hold?.isTransient(error)) held.push(item);
      else await settleFailure(item.message, error);
    }
    stopTimer();
    if (held.length > 0)
      log.warn({ err: outcome.failed[0]?.error, held: held.length }, 'dependency unavailable; holding the batch');
    return held;
  }

  async function processBatch(batch: ReadonlyArray<Received<T>>): Promise<void> {
    try {
      let pending = await attempt(batch);
      for (let failures = 1; pending.length > 0 && hold && (await hold.wait(failures)); failures += 1) {
        pending = await attempt(pending);
        if (pending.length === 0) log.info({ attempts: failures + 1 }, 'held batch went through; consuming again');
      }
    } finally {
      hold?.release();
    }
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (busy || buffer.length === 0) return;
    busy = true;
    const batch = buffer;
    buffer = [];
    const work = processBatch(batch)
      .catch((error: unknown) => log.error({ err: error }, 'batch processing crashed'))
      .finally(() => {
        busy = false;
        // What arrived meanwhile has already waited as long as this batch took: write it at once, as one batch.
        flush();
      });
    track(work);
  }

  function onMessage(message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (queue deleted); the connection owner reconnects and re-consumes.
      log.warn('consumer cancelled by the broker');
      channel.close().catch(() => undefined);
      return;
    }
    const decoded = options.decode(message);
    if (!decoded.ok) {
      // Poison: no retry can fix a body that does not parse, so it goes straight to the DLQ.
      track(
        deadLetterMessage(channel, queue, message, 'invalid_message', decoded.reason).then(
          () => {
            ack(message);
            count('dead_letter');
            log.warn(
              { reason: decoded.reason, messageId: message.properties.messageId as unknown },
              'invalid message dead-lettered',
            );
          },
          (error: unknown) =>
            log.error({ err: error }, 'could not dead-letter an invalid message; leaving it for redelivery'),
        ),
      );
      return;
    }
    buffer.push({ message, body: decoded.value });
    if (buffer.length >= options.prefetch || stopping) flush();
    else timer ??= setTimeout(flush, options.maxWaitMs);
  }

  await channel.prefetch(options.prefetch);
  const { consumerTag } = await channel.consume(queue, onMessage, { noAck: false });

  return {
    async stop() {
      stopping = true;
      hold?.abort();
      await channel
        .cancel(consumerTag)
        .catch((error: unknown) => log.debug({ err: error }, 'cancel failed (channel already closed)'));
      flush();
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
