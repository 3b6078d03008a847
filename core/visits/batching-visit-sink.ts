import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';
import type { LinkVisited, VisitSink } from './visit';
import { backoffDelay, type BackoffOptions } from '../messaging/backoff';

/** A sealed batch. `id` stays the same across retries, so it doubles as the message id of every attempt. */
export interface VisitBatch {
  readonly id: string;
  readonly visits: readonly LinkVisited[];
}

/** Resolves once the batch is durably handed over (broker confirm, handler done); rejects to have it retried. */
export type DeliverVisitBatch = (batch: VisitBatch) => Promise<void>;

export type VisitSinkMetrics = Pick<Metrics, 'visitBufferSize' | 'visitBufferCapacity' | 'visitsPublished'>;

export interface BufferedVisitSink extends VisitSink {
  /** Resolves when every visit emitted before the call has been delivered (waits through outages). */
  flush(): Promise<void>;
  /**
   * Delivers everything still buffered, including visits emitted while closing, then stops. Gives up after
   * `timeoutMs` (the pod's termination grace period must be longer): what is left is counted as dropped.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Visits accepted and not yet delivered. */
  size(): number;
}

export interface BatchingOptions {
  readonly logger: Logger;
  readonly metrics?: VisitSinkMetrics | undefined;
  /** Visits per message; 500 turns 30,000 redirects/s into 60 messages/s. */
  readonly batchSize?: number | undefined;
  /** Longest a visit waits for its batch to fill, which bounds the added persistence lag. */
  readonly flushIntervalMs?: number | undefined;
  /**
   * Most visits held in memory, delivered or not yet. Size it as (visits/s per process) x (longest outage
   * to ride out): at about 1.3 KB per visit (4.3 KB with the longest user agent and referrer kept, measured on
   * Node 20), VISIT_BUFFER_MAX's default 100,000 is roughly 130 MB. Past it, new visits are
   * dropped, counted as `visits_published_total{outcome="dropped"}` and logged; see `emit`.
   */
  readonly maxBuffer: number;
  /** Batches awaiting their confirm at once; hides the broker's fsync latency behind the next batches. */
  readonly maxInFlight?: number | undefined;
  readonly retry?: BackoffOptions | undefined;
  readonly closeTimeoutMs?: number | undefined;
}

export const BATCHING_DEFAULTS = {
  batchSize: 500,
  flushIntervalMs: 25,
  maxInFlight: 4,
  closeTimeoutMs: 20_000,
} as const;

const DROP_LOG_INTERVAL_MS = 10_000;

interface PendingBatch extends VisitBatch {
  readonly done: Promise<void>;
  settle(): void;
  abandoned: boolean;
}

function sealBatch(visits: LinkVisited[]): PendingBatch {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { id: randomUUID(), visits, done, settle, abandoned: false };
}

/**
 * The buffer between the redirect path and a delivery target (the broker, or the handler in single-process
 * mode). `emit` only appends to an array: no await, no I/O, no throw, so a redirect never waits for or fails
 * because of the pipeline. A batch leaves the buffer only once `deliver` resolves; a failed batch goes back
 * to the front and is retried with backoff, so an outage fills the buffer instead of losing visits.
 *
 * When the buffer is full the NEW visit is refused (counted and logged), rather than evicting old ones:
 * either way one visit is lost, but refusing keeps `emit` O(1) and keeps every visit already accepted
 * (some of which may be mid-delivery) — blocking is not an option on the request path.
 */
export function createBatchingVisitSink(deliver: DeliverVisitBatch, options: BatchingOptions): BufferedVisitSink {
  const batchSize = options.batchSize ?? BATCHING_DEFAULTS.batchSize;
  const flushIntervalMs = options.flushIntervalMs ?? BATCHING_DEFAULTS.flushIntervalMs;
  const { maxBuffer } = options;
  const maxInFlight = options.maxInFlight ?? BATCHING_DEFAULTS.maxInFlight;
  const { logger, metrics } = options;
  metrics?.visitBufferCapacity.set(maxBuffer);

  let open: LinkVisited[] = [];
  const ready: PendingBatch[] = [];
  const inFlight = new Set<PendingBatch>();
  let buffered = 0;
  let state: 'open' | 'closing' | 'closed' = 'open';
  let closing: Promise<void> | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let droppedSinceLog = 0;
  let lastDropLog = 0;

  function drop(count: number, reason: string): void {
    metrics?.visitsPublished.inc({ outcome: 'dropped' }, count);
    droppedSinceLog += count;
    const now = Date.now();
    if (now - lastDropLog < DROP_LOG_INTERVAL_MS) return;
    logger.error({ dropped: droppedSinceLog, buffered, maxBuffer }, `visits dropped: ${reason}`);
    lastDropLog = now;
    droppedSinceLog = 0;
  }

  function seal(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (open.length === 0) return;
    ready.push(sealBatch(open));
    open = [];
  }

  function updateGauge(): void {
    metrics?.visitBufferSize.set(buffered);
  }

  function pump(): void {
    updateGauge();
    if (retryTimer) return;
    while (ready.length > 0 && inFlight.size < maxInFlight) {
      const batch = ready.shift()!;
      inFlight.add(batch);
      void send(batch);
    }
  }

  async function send(batch: PendingBatch): Promise<void> {
    try {
      await deliver(batch);
    } catch (error) {
      inFlight.delete(batch);
      if (batch.abandoned) return;
      ready.unshift(batch);
      metrics?.visitsPublished.inc({ outcome: 'failed' }, batch.visits.length);
      if (!retryTimer) {
        failures += 1;
        const delay = backoffDelay(failures, options.retry);
        logger.warn(
          { err: error, visits: batch.visits.length, buffered, attempt: failures, retryInMs: delay },
          'visit batch delivery failed; will retry',
        );
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          pump();
        }, delay);
      }
      return;
    }
    inFlight.delete(batch);
    if (batch.abandoned) return;
    failures = 0;
    buffered -= batch.visits.length;
    metrics?.visitsPublished.inc({ outcome: 'confirmed' }, batch.visits.length);
    batch.settle();
    pump();
  }

  function onTimer(): void {
    flushTimer = undefined;
    seal();
    pump();
  }

  function pending(): PendingBatch[] {
    return [...inFlight, ...ready];
  }

  async function flush(): Promise<void> {
    seal();
    pump();
    await Promise.all(pending().map((batch) => batch.done));
  }

  async function settledWithin(batches: readonly PendingBatch[], ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const settled = Promise.all(batches.map((batch) => batch.done)).then(() => true as const);
    try {
      return await Promise.race([settled, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function shutDown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Visits emitted while closing (requests still draining) are delivered too, hence the loop.
    while (buffered > 0) {
      seal();
      pump();
      const left = deadline - Date.now();
      if (left <= 0 || !(await settledWithin(pending(), left))) break;
    }
    state = 'closed';
    if (flushTimer) clearTimeout(flushTimer);
    if (retryTimer) clearTimeout(retryTimer);
    const abandoned = pending();
    if (buffered > 0) {
      logger.error({ visits: buffered, timeoutMs }, 'visit buffer not delivered before shutdown deadline; visits lost');
      metrics?.visitsPublished.inc({ outcome: 'dropped' }, buffered);
    }
    for (const batch of abandoned) {
      batch.abandoned = true;
      batch.settle();
    }
    ready.length = 0;
    open = [];
    buffered = 0;
    updateGauge();
  }

  return {
    emit(visit) {
      if (state === 'closed') return drop(1, 'emitted after close');
      if (buffered >= maxBuffer) return drop(1, 'buffer full (broker or database unreachable for too long?)');
      open.push(visit);
      buffered += 1;
      if (open.length >= batchSize) {
        seal();
        pump();
      } else if (open.length === 1) {
        flushTimer = setTimeout(onTimer, flushIntervalMs);
      }
    },
    flush,
    close(closeOptions) {
      if (state === 'open') {
        state = 'closing';
        closing = shutDown(closeOptions?.timeoutMs ?? options.closeTimeoutMs ?? BATCHING_DEFAULTS.closeTimeoutMs);
      }
      return closing ?? Promise.resolve();
    },
    size: () => buffered,
  };
}
