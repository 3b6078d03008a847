import type { Pool } from 'pg';
import type { Metrics } from '../metrics/metrics';
import { recordVisits } from './record-visits';
import type { LinkVisited } from './visit';

export interface VisitBatchDeps {
  readonly pool: Pool;
  readonly metrics?: Pick<Metrics, 'visitPersistLag'>;
  readonly now?: () => number;
  /**
   * Told the phrases whose visit budget a batch used up, once the batch is committed, so every instance's caches
   * can drop them (they stop redirecting when they read the link again). Its failure does not fail the batch.
   */
  readonly onBudgetSpent?: ((phrases: readonly string[]) => Promise<void>) | undefined;
}

/**
 * Persists visits from any delivery path (the worker's AMQP batches, or in-process delivery when the API runs
 * without a broker) in one transaction, then records how long after the redirect they became durable.
 * Safe to repeat: a visit already stored is skipped, so redelivery and DLQ replay never count twice.
 * Returns the number of visits newly stored.
 */
export async function handleVisitBatch(deps: VisitBatchDeps, visits: readonly LinkVisited[]): Promise<number> {
  const unique = uniqueByVisitId(visits);
  const { inserted, spent } = await recordVisits(deps.pool, unique);
  if (spent.length > 0 && deps.onBudgetSpent) await deps.onBudgetSpent(spent).catch(() => undefined);
  if (deps.metrics) {
    const now = (deps.now ?? Date.now)();
    for (const visit of unique) {
      const visitedAt = Date.parse(visit.visitedAt);
      if (Number.isFinite(visitedAt)) deps.metrics.visitPersistLag.observe(Math.max(0, now - visitedAt) / 1000);
    }
  }
  return inserted;
}

// A publisher that retries an unconfirmed publish can put the same visit twice into one batch.
function uniqueByVisitId(visits: readonly LinkVisited[]): readonly LinkVisited[] {
  const seen = new Set<string>();
  const unique: LinkVisited[] = [];
  for (const visit of visits) {
    if (seen.has(visit.visitId)) continue;
    seen.add(visit.visitId);
    unique.push(visit);
  }
  return unique.length === visits.length ? visits : unique;
}

/**
 * True when PostgreSQL rejected the data itself (SQLSTATE class 22 data exception, 23 integrity violation),
 * so splitting the batch can isolate the culprit; connection and server failures affect every visit alike.
 */
export function isVisitDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
