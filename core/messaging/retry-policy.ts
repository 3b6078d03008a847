import { ATTEMPT_HEADER, MAX_RETRIES, RETRY_DELAYS_MS, deadLetterQueueName, retryQueueName } from './topology';

/** Where a message goes after its handler failed. */
export type FailureRoute =
  | { readonly kind: 'retry'; readonly queue: string; readonly attempt: number; readonly delayMs: number }
  | { readonly kind: 'dead_letter'; readonly queue: string; readonly attempt: number };

/** Failed attempts recorded on a message so far (0 on a first delivery; garbage counts as 0). */
export function attemptsSoFar(headers: Record<string, unknown> | undefined): number {
  const raw = headers?.[ATTEMPT_HEADER];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Retry N (1-based) goes to `<queue>.retry.N` with the Nth delay; once all retries are spent the message is
 * dead-lettered. `delaysMs` may shorten the schedule (tests): a message's `expiration` below the retry
 * queue's TTL wins, a longer one does not, so the topology's TTLs are the upper bound.
 */
export function routeFailure(
  workQueue: string,
  previousAttempts: number,
  delaysMs: readonly number[] = RETRY_DELAYS_MS,
): FailureRoute {
  const attempt = previousAttempts + 1;
  const delayMs = delaysMs[attempt - 1];
  if (attempt > MAX_RETRIES || delayMs === undefined) {
    return { kind: 'dead_letter', queue: deadLetterQueueName(workQueue), attempt: previousAttempts };
  }
  return { kind: 'retry', queue: retryQueueName(workQueue, attempt), attempt, delayMs };
}
