import type { Channel } from 'amqplib';
import type { Gauge } from 'prom-client';
import type { Logger } from '../core/logging/logger';
import { QUEUES, deadLetterQueueName } from '../core/messaging/topology';

/** Work queues (what autoscaling watches) and their DLQs (what an alert watches). */
export const MONITORED_QUEUES: readonly string[] = Object.values(QUEUES).flatMap((queue) => [
  queue,
  deadLetterQueueName(queue),
]);

export interface QueueDepthGaugeOptions {
  /** A channel used for nothing else: a failed check closes it. */
  readonly channel: Channel;
  readonly gauge: Gauge<'queue'>;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly queues?: readonly string[];
}

/**
 * Refreshes `offndat_rabbitmq_queue_depth` (ready messages) now and every interval; returns the stop function.
 * A failed check, and stopping, remove the series instead of leaving the last value standing: a depth nobody
 * measures any more must read as missing, not as a number that no longer moves.
 */
export function startQueueDepthGauge(options: QueueDepthGaugeOptions): () => void {
  const queues = options.queues ?? MONITORED_QUEUES;
  let running = false;
  const refresh = async () => {
    if (running) return; // a slow broker must not pile up checks
    running = true;
    try {
      for (const queue of queues) {
        const { messageCount } = await options.channel.checkQueue(queue);
        options.gauge.set({ queue }, messageCount);
      }
    } catch (error) {
      options.gauge.reset();
      options.logger.debug({ err: error }, 'queue depth refresh failed');
    } finally {
      running = false;
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    options.gauge.reset();
  };
}
