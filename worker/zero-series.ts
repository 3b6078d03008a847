import { MESSAGE_OUTCOMES, type Metrics } from '../core/metrics/metrics';
import { QUEUES } from '../core/messaging/topology';

/**
 * Creates at 0 every series of the worker whose labels are known before its first message: each consumed
 * queue's outcomes and processing time. Without it the first dead letter after a start would be invisible to
 * `increase()`, and so to the alert that watches for dead letters.
 */
export function zeroWorkerSeries(metrics: Pick<Metrics, 'messagesProcessed' | 'messageProcessingDuration'>): void {
  for (const queue of Object.values(QUEUES)) {
    for (const outcome of MESSAGE_OUTCOMES) metrics.messagesProcessed.inc({ queue, outcome }, 0);
    metrics.messageProcessingDuration.zero({ queue });
  }
}
