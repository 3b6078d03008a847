import type { LinkVisited } from './visit';
import { createBatchingVisitSink, type BatchingOptions, type BufferedVisitSink } from './batching-visit-sink';

export interface InProcessVisitSinkOptions extends BatchingOptions {
  /** What the worker would run for a `LinkVisited` message, e.g. `handleVisitBatch` bound to the primary pool. */
  readonly handle: (visits: readonly LinkVisited[]) => Promise<unknown>;
}

/**
 * The single-process mode's `VisitSink` (no `AMQP_URL`): the same buffer, batching and retry as the broker
 * publisher, delivering straight to the handler. A failing handler (database down) keeps the batch and retries
 * it with backoff; retries are safe because the handler is idempotent by `visitId`.
 */
export function createInProcessVisitSink(options: InProcessVisitSinkOptions): BufferedVisitSink {
  const { handle } = options;
  return createBatchingVisitSink(async (batch) => {
    await handle(batch.visits);
  }, options);
}
