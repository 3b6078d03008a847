import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MAX_PHRASE_LENGTH } from '../../phrases/phrase';

const phraseSchema = z.string().min(1).max(MAX_PHRASE_LENGTH);
// `phrases` carries the creations one instance announced together; `phrase` is the single-phrase form.
const messageSchema = z.union([
  z.object({ phrase: phraseSchema, origin: z.string() }),
  z.object({ phrases: z.array(phraseSchema).min(1), origin: z.string() }),
]);

/**
 * `origin` lets the sender skip its own echo: it already updated its L1 before publishing. One phrase keeps the
 * single-phrase form, so instances of the previous release still understand the common case during a rollout.
 */
export function encodeInvalidation(phrases: string | readonly string[], origin: string): string {
  if (typeof phrases === 'string') return JSON.stringify({ phrase: phrases, origin });
  return phrases.length === 1 ? JSON.stringify({ phrase: phrases[0], origin }) : JSON.stringify({ phrases, origin });
}

export function decodeInvalidation(message: string): { phrases: string[]; origin: string } | undefined {
  try {
    const result = messageSchema.safeParse(JSON.parse(message));
    if (!result.success) return undefined;
    return 'phrases' in result.data ? result.data : { phrases: [result.data.phrase], origin: result.data.origin };
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
    if (decoded.origin !== instanceId) for (const phrase of decoded.phrases) options.onInvalidate(phrase);
  };

  const subscribe = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no SUBSCRIBE answer within ${options.subscribeTimeoutMs} ms`)),
        options.subscribeTimeoutMs,
      );
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
