import type { Redis } from 'ioredis';

export interface BlocklistSyncOptions {
  /** The resolver's subscriber connection (a connection in subscribe mode can carry several channels). */
  readonly subscriber?: Redis | undefined;
  /** Publishes changes; absent without Redis, when there is only this process to tell. */
  readonly publisher?: Redis | undefined;
  readonly channel: string;
  /** Re-read the rules and forget every judgement made with the old ones. */
  readonly refresh: () => Promise<void>;
  /** A fallback for a lost message and the only signal for an edited file: refresh this often. */
  readonly intervalMs: number;
  /** How often to try again while the first read keeps failing (a database not yet migrated or reachable). */
  readonly firstReadRetryMs?: number;
  readonly warn: (error: unknown, message: string) => void;
}

export interface BlocklistSync {
  start(): Promise<void>;
  /** Tells every process (this one included) that the rules changed, and waits for this one to refresh. */
  changed(): Promise<void>;
  stop(): Promise<void>;
}

/** Keeps every api process's blocklist in step: a message on change, a periodic refresh in case one is missed. */
export function createBlocklistSync(options: BlocklistSyncOptions): BlocklistSync {
  const { subscriber, publisher, channel } = options;
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  const refresh = () =>
    options.refresh().then(
      () => true,
      (error: unknown) => {
        options.warn(error, 'could not reload the blocklist');
        return false;
      },
    );
  const onMessage = (from: string) => {
    if (from === channel) void refresh();
  };
  // Messages sent while the connection was down are lost: catch up on reconnect.
  const onReady = () => {
    void subscriber
      ?.subscribe(channel)
      .catch((error: unknown) => options.warn(error, 'could not subscribe to blocklist changes'));
    void refresh();
  };
  return {
    async start() {
      // A failed first read does not stop the process: it may start before the migrations have run, or while the
      // database fails over. It keeps trying; the store reports the rules as not loaded until one read succeeds.
      if (!(await refresh())) {
        retry = setInterval(
          () => {
            void refresh().then((ok) => {
              if (ok) clearInterval(retry);
            });
          },
          options.firstReadRetryMs ?? Math.min(options.intervalMs, 2_000),
        );
        retry.unref();
      }
      if (subscriber) {
        subscriber.on('message', onMessage);
        subscriber.on('ready', onReady);
        await subscriber
          .subscribe(channel)
          .catch((error: unknown) => options.warn(error, 'could not subscribe to blocklist changes'));
      }
      timer = setInterval(() => void refresh(), options.intervalMs);
      timer.unref();
    },
    async changed() {
      await options.refresh();
      if (publisher)
        await publisher
          .publish(channel, 'changed')
          .catch((error: unknown) => options.warn(error, 'could not announce a blocklist change'));
    },
    async stop() {
      clearInterval(timer);
      clearInterval(retry);
      subscriber?.off('message', onMessage);
      subscriber?.off('ready', onReady);
      if (subscriber?.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
