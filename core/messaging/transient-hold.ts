import type { Gauge } from 'prom-client';
import { backoffDelay, type BackoffOptions } from './backoff';

export interface TransientHoldOptions {
  /** Whether a failure is the dependency's (wait and retry the same batch) rather than the messages'. */
  readonly isTransient: (error: unknown) => boolean;
  /** Pauses between attempts: capped exponential backoff with jitter, for as long as the outage lasts. */
  readonly backoff: BackoffOptions;
  /** `offndat_consumers_paused`: consumer channels holding a batch back right now. */
  readonly gauge?: Pick<Gauge<'queue'>, 'inc' | 'dec'> | undefined;
}

/** One consumer channel's pause: at most one batch is held at a time, so the gauge moves by one. */
export interface TransientHold {
  readonly isTransient: (error: unknown) => boolean;
  /** Waits before attempt `attempt + 1`; resolves false when the hold was aborted (stop, channel lost). */
  wait(attempt: number): Promise<boolean>;
  /** The held batch went through (or was given up): the channel consumes again. */
  release(): void;
  /** Ends any wait at once; the messages in hand stay unacked and the broker redelivers them. */
  abort(): void;
}

/**
 * A database outage is not a poison message: instead of walking the batch through the retry queues to the
 * DLQ, the consumer keeps it in hand, unacked, and tries it again until the dependency is back. With the
 * channel's prefetch used up by the held batch, the broker sends nothing more: consumption pauses, and
 * everything else waits in the queue. Messages that fail for their own content still take the retry path.
 */
export function createTransientHold(queue: string, options: TransientHoldOptions): TransientHold {
  let paused = false;
  let aborted = false;
  let wake: (() => void) | undefined;

  return {
    isTransient: options.isTransient,
    async wait(attempt) {
      if (aborted) return false;
      if (!paused) {
        paused = true;
        options.gauge?.inc({ queue });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffDelay(attempt, options.backoff));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      return !aborted;
    },
    release() {
      if (!paused) return;
      paused = false;
      options.gauge?.dec({ queue });
    },
    abort() {
      aborted = true;
      wake?.();
    },
  };
}
