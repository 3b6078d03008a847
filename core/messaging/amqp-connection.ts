import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from '../logging/logger';
import { backoffDelay, type BackoffOptions } from './backoff';
import { assertTopology, EVENTS_EXCHANGE } from './topology';

export interface AmqpConnectionOptions {
  readonly url: string;
  readonly logger: Logger;
  /** Shown in the broker's connection list, so operators can tell api from worker connections. */
  readonly name?: string | undefined;
  /** Extra per-connection set-up (consumers, more channels), run after the topology on every (re)connect. */
  readonly onConnected?: ((connection: ChannelModel, channel: ConfirmChannel) => Promise<void>) | undefined;
  readonly reconnect?: BackoffOptions | undefined;
  /** Seconds; detects a silently dead TCP connection. Used when the URL does not set `heartbeat`. */
  readonly heartbeatSeconds?: number | undefined;
}

/** One broker connection with one shared confirm channel, re-established for as long as the process runs. */
export interface AmqpConnection {
  /** The live confirm channel; during an outage it waits for the reconnect. Rejects once `close` was called. */
  confirmChannel(): Promise<ConfirmChannel>;
  isConnected(): boolean;
  close(): Promise<void>;
}

/** A connection that lived this long is considered healthy: the next loss reconnects without backoff. */
const STABLE_AFTER_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

/**
 * Connects in the background and returns at once: the api serves redirects while the broker is down (visits
 * wait in the publisher's buffer) and a worker starts before the broker does. Any connection or channel loss
 * drops both and reconnects with capped, jittered exponential backoff; the topology is asserted on every
 * connect, so a broker that lost its definitions gets them back before the first publish.
 */
export function createAmqpConnection(options: AmqpConnectionOptions): AmqpConnection {
  const { logger } = options;
  const url = withHeartbeat(options.url, options.heartbeatSeconds ?? 10);
  let current: { model: ChannelModel; channel: ConfirmChannel } | undefined;
  let closed = false;
  let waiters: Array<{ resolve: (channel: ConfirmChannel) => void; reject: (error: Error) => void }> = [];
  let wakeUp: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function open(): Promise<{ model: ChannelModel; channel: ConfirmChannel }> {
    const model = await connect(url, {
      clientProperties: { connection_name: options.name ?? 'offndat' },
      // A broker host that silently drops SYNs would otherwise stall the loop for the OS's TCP timeout.
      timeout: CONNECT_TIMEOUT_MS,
    });
    // Until 'close' is wired below, an 'error' without a listener would crash the process.
    model.on('error', (error: Error) => logger.warn({ err: error }, 'AMQP connection error'));
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (error: Error) => logger.warn({ err: error }, 'AMQP channel error'));
      await assertTopology(channel);
      await options.onConnected?.(model, channel);
      return { model, channel };
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  async function run(): Promise<void> {
    let attempt = 0;
    while (!closed) {
      let live: { model: ChannelModel; channel: ConfirmChannel };
      try {
        live = await open();
      } catch (error) {
        attempt += 1;
        const delay = backoffDelay(attempt, options.reconnect);
        logger.warn({ err: error, attempt, retryInMs: delay }, 'AMQP connect failed; retrying');
        await sleep(delay);
        continue;
      }
      const lost = new Promise<void>((resolve) => {
        live.model.once('close', () => resolve());
        live.channel.once('close', () => resolve());
      });
      live.model.on('blocked', (reason: string) => logger.warn({ reason }, 'AMQP connection blocked by the broker'));
      live.model.on('unblocked', () => logger.info('AMQP connection unblocked'));
      if (closed) {
        await live.model.close().catch(() => undefined);
        break;
      }
      const connectedAt = Date.now();
      current = live;
      logger.info({ attempt }, 'AMQP connected');
      for (const waiter of waiters) waiter.resolve(live.channel);
      waiters = [];
      await lost;
      current = undefined;
      if (closed) break;
      // A channel-level error leaves the connection open; drop it too so the next loop starts clean.
      await live.model.close().catch(() => undefined);
      attempt = Date.now() - connectedAt > STABLE_AFTER_MS ? 0 : attempt + 1;
      logger.warn({ attempt }, 'AMQP connection lost; reconnecting');
      if (attempt > 0) await sleep(backoffDelay(attempt, options.reconnect));
    }
  }

  const running = run();

  return {
    confirmChannel() {
      if (closed) return Promise.reject(new Error('AMQP connection closed'));
      if (current) return Promise.resolve(current.channel);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    isConnected: () => current !== undefined,
    async close() {
      if (closed) return running;
      closed = true;
      wakeUp?.();
      for (const waiter of waiters) waiter.reject(new Error('AMQP connection closed'));
      waiters = [];
      const live = current;
      current = undefined;
      // Publishers flush (and get their confirms) before this is called; whatever is unconfirmed now is failed.
      if (live) {
        await live.channel.close().catch(() => undefined);
        await live.model.close().catch(() => undefined);
      }
      await running;
    },
  };
}

/** Publishes one message and resolves on the broker's ack; a nack or a channel lost before the ack rejects. */
export function publishConfirmed(
  channel: ConfirmChannel,
  routingKey: string,
  content: Buffer,
  properties: Parameters<ConfirmChannel['publish']>[3],
): Promise<void> {
  return new Promise((resolve, reject) => {
    // A closed channel throws synchronously; inside the executor that becomes a rejection.
    channel.publish(EVENTS_EXCHANGE, routingKey, content, properties, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('message nacked by the broker')) : resolve(),
    );
  });
}
