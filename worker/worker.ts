import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Pool } from 'pg';
import type { Logger } from '../core/logging/logger';
import type { Metrics } from '../core/metrics/metrics';
import { startBatchConsumer, type BatchConsumer } from '../core/messaging/amqp-consumer';
import { decodeLinkCreated } from '../core/links/link-created';
import { decodeLinkVisited } from '../core/visits/link-visited-message';
import { QUEUES } from '../core/messaging/topology';
import { isTransientDatabaseError } from '../core/db/transient-error';
import { handleVisitBatch, isVisitDataError } from '../core/visits/handle-visit-batch';
import { startQueueDepthGauge } from './queue-depth';

export interface WorkerOptions {
  readonly pool: Pool;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly prefetch: number;
  /** Per queue: `ceil(maxInFlight / prefetch)` channels consume the visits queue. */
  readonly maxInFlight: number;
  readonly batchMaxWaitMs: number;
  readonly retryDelaysMs?: readonly number[] | undefined;
  /** Cap of the backoff between attempts at a batch held while the database is unavailable. */
  readonly transientRetryMaxDelayMs: number;
  readonly queueDepthIntervalMs: number;
  /** Told the phrases whose visit budget a stored batch used up (see `handleVisitBatch`). */
  readonly onBudgetSpent?: ((phrases: readonly string[]) => Promise<void>) | undefined;
}

/**
 * The consumers of one process. The broker connection belongs to the composition root (`worker/service.ts`), which
 * hands `consume` to it as the set-up to run on every (re)connect and shares it with the outbox relay.
 */
export interface Worker {
  /** Opens the consumer channels on a fresh connection and starts consuming; the connection's `onConnected`. */
  readonly consume: (connection: ChannelModel) => Promise<void>;
  /** Resolves once the consumers run for the first time (or `stop` was called before they did). */
  readonly started: Promise<void>;
  /** Cancels the consumers and finishes and settles the batches in flight; the connection stays open for its owner. */
  stop(): Promise<void>;
  /** Consuming on a live connection, and not shutting down. */
  isReady(): boolean;
}

interface Session {
  readonly model: ChannelModel;
  readonly consumers: BatchConsumer[];
  readonly channels: Channel[];
  stopDepthGauge?: () => void;
}

export function createWorker(options: WorkerOptions): Worker {
  const { logger, metrics } = options;
  let session: Session | undefined;
  let stopping = false;
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  for (const queue of Object.values(QUEUES)) metrics.consumersPaused.set({ queue }, 0);

  const consumerOptions = {
    prefetch: options.prefetch,
    maxWaitMs: options.batchMaxWaitMs,
    retryDelaysMs: options.retryDelaysMs,
    metrics,
    logger,
  };

  async function openChannel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => logger.warn({ err: error }, 'AMQP consumer channel error'));
    // A consumer channel that dies alone (broker cancel, protocol error) would leave the queue unconsumed while
    // the connection looks healthy; closing the connection makes the owner reconnect everything.
    channel.once('close', () => {
      if (!stopping) model.close().catch(() => undefined);
    });
    return channel;
  }

  async function onConnected(model: ChannelModel): Promise<void> {
    const current: Session = { model, consumers: [], channels: [] };
    model.once('close', () => {
      current.stopDepthGauge?.();
      if (session === current) session = undefined;
    });
    const visitChannels = Math.max(1, Math.ceil(options.maxInFlight / options.prefetch));
    for (let i = 0; i < visitChannels; i += 1) {
      const channel = await openChannel(model);
      current.channels.push(channel);
      current.consumers.push(
        await startBatchConsumer({
          ...consumerOptions,
          channel,
          queue: QUEUES.visits,
          decode: decodeLinkVisited,
          handle: async (messages) => {
            await handleVisitBatch(
              { pool: options.pool, metrics, onBudgetSpent: options.onBudgetSpent },
              messages.flatMap((m) => m.visits),
            );
          },
          isolate: isVisitDataError,
          transient: {
            isTransient: isTransientDatabaseError,
            backoff: { initialDelayMs: 250, maxDelayMs: options.transientRetryMaxDelayMs },
            gauge: metrics.consumersPaused,
          },
        }),
      );
    }
    const createdChannel = await openChannel(model);
    current.channels.push(createdChannel);
    current.consumers.push(
      await startBatchConsumer({
        ...consumerOptions,
        channel: createdChannel,
        queue: QUEUES.linkCreated,
        decode: decodeLinkCreated,
        // The api counts links when it creates them; consuming here proves the outbox reaches the broker.
        handle: (messages) => {
          for (const event of messages.flatMap((m) => m.links)) logger.debug({ event }, 'link created');
          return Promise.resolve();
        },
      }),
    );
    const depthChannel = await model.createChannel();
    depthChannel.on('error', (error: Error) => logger.warn({ err: error }, 'AMQP queue depth channel error'));
    current.channels.push(depthChannel);
    current.stopDepthGauge = startQueueDepthGauge({
      channel: depthChannel,
      gauge: metrics.queueDepth,
      intervalMs: options.queueDepthIntervalMs,
      logger,
    });
    session = current;
    logger.info({ visitChannels, prefetch: options.prefetch }, 'worker consuming');
    markStarted();
  }

  return {
    consume: (model) => (stopping ? Promise.resolve() : onConnected(model)),
    started,
    async stop() {
      if (stopping) return;
      stopping = true;
      markStarted();
      const current = session;
      if (current) {
        current.stopDepthGauge?.();
        await Promise.all(current.consumers.map((consumer) => consumer.stop()));
        for (const channel of current.channels) await channel.close().catch(() => undefined);
      }
      session = undefined;
    },
    isReady: () => !stopping && session !== undefined,
  };
}
