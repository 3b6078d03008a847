import type { ResolvedLink } from '../link';
import { encodeInvalidation } from './link-invalidation';
import type { RedisLinkCache } from './redis-link-cache';

export interface LinkAnnouncerOptions {
  readonly l2: RedisLinkCache;
  /** The invalidation channel every instance listens on. */
  readonly channel: string;
  /** This instance's id, so it can ignore its own messages. */
  readonly instanceId: string;
  readonly warn: (error: unknown, message: string) => void;
}

/**
 * Tells Redis and every other instance about new links. Links created in the same turn of the event loop are
 * announced together: one Redis round trip and one message for all of them instead of two commands, two timers
 * and one echo per link. Each creation still waits for its announcement, so its 201 is only sent once every cache
 * level knows the link. Failures are logged, never thrown: other instances catch up within their TTLs.
 */
export function createLinkAnnouncer(
  options: LinkAnnouncerOptions,
): (phrase: string, link: ResolvedLink) => Promise<void> {
  const { l2, channel, instanceId, warn } = options;
  let announcing: Array<{ phrase: string; link: ResolvedLink; done: () => void }> | undefined;

  function flush(): void {
    const batch = announcing ?? [];
    announcing = undefined;
    if (batch.length === 0) return;
    const message = encodeInvalidation(
      batch.map((entry) => entry.phrase),
      instanceId,
    );
    l2.storeLinksAndPublish(batch, channel, message)
      .catch((error: unknown) =>
        warn(error, 'could not update Redis or announce new links; other instances catch up within their TTLs'),
      )
      .finally(() => {
        for (const entry of batch) entry.done();
      });
  }

  return (phrase, link) =>
    new Promise((done) => {
      if (!announcing) {
        announcing = [];
        setImmediate(flush);
      }
      announcing.push({ phrase, link, done });
    });
}
