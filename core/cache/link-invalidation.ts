import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PHRASE_MAX_LENGTH } from '../links/link';

const messageSchema = z.object({ phrase: z.string().min(1).max(PHRASE_MAX_LENGTH), origin: z.string() });

/** `origin` lets the sender skip its own echo: it already updated its L1 before publishing. */
export function encodeInvalidation(phrase: string, origin: string): string {
  return JSON.stringify({ phrase, origin });
}

export function decodeInvalidation(message: string): { phrase: string; origin: string } | undefined {
  try {
    const result = messageSchema.safeParse(JSON.parse(message));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export interface InvalidationListenerOptions {
  /** A connection of its own: once subscribed, a Redis connection can run nothing else. */
  readonly subscriber: Redis;
  readonly channel: string;
  readonly instanceId: string;
  readonly subscribeTimeoutMs: number;
  readonly onInvalidate: (phrase: string) => void;
  /** Messages published while the connection was down are lost for good; the listener asks for a clean slate. */
  readonly onReconnect: () => void;
  readonly warn: (error: unknown, message: string) => void;
}

export interface InvalidationListener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createInvalidationListener(options: InvalidationListenerOptions): InvalidationListener {
  const { subscriber, channel, instanceId } = options;

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    const decoded = decodeInvalidation(message);
    if (!decoded) {
      options.warn(undefined, 'ignored a malformed link invalidation message');
      return;
    }
    if (decoded.origin !== instanceId) options.onInvalidate(decoded.phrase);
  };

  const subscribe = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no SUBSCRIBE answer within ${options.subscribeTimeoutMs} ms`)), options.subscribeTimeoutMs);
    });
    try {
      await Promise.race([subscriber.subscribe(channel), timeout]);
    } catch (error) {
      // Redirects keep working without invalidations (TTLs bound staleness); the next 'ready' retries.
      options.warn(error, 'could not subscribe to link invalidations');
    } finally {
      clearTimeout(timer);
    }
  };

  const onReady = () => {
    options.onReconnect();
    void subscribe();
  };

  return {
    async start() {
      subscriber.on('message', onMessage);
      subscriber.on('ready', onReady);
      await subscribe();
    },
    async stop() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
