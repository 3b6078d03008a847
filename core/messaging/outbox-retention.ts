import type { Pool } from 'pg';
import type { Logger } from '../logging/logger';

export interface OutboxRetentionOptions {
  readonly pool: Pool;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Published rows older than this are deleted; unpublished rows are never touched. */
  readonly retainMs: number;
  /** Rows deleted per statement, so one pass never holds long locks or bloats a transaction. */
  readonly batchSize?: number;
  readonly intervalMs?: number;
}

/** Deletes published outbox rows older than `retainMs`, in batches; resolves to how many were deleted. */
export async function pruneOutbox(pool: Pool, retainMs: number, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - $1::interval
         ORDER BY id LIMIT $2)`,
      [`${Math.max(0, Math.floor(retainMs / 1000))} seconds`, batchSize],
    );
    total += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < batchSize) return total;
  }
}

/**
 * Published outbox rows are only kept for inspection; without pruning the table would grow with every link
 * ever created. Runs on an interval in the worker (any number of replicas may run it: deletes are idempotent).
 */
export function startOutboxRetention(options: OutboxRetentionOptions): { stop(): void } {
  const run = () =>
    pruneOutbox(options.pool, options.retainMs, options.batchSize).then(
      (deleted) => deleted > 0 && options.logger.info({ deleted }, 'pruned published outbox rows'),
      (error: unknown) => options.logger.warn({ err: error }, 'outbox pruning failed'),
    );
  const timer = setInterval(() => void run(), options.intervalMs ?? 10 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
