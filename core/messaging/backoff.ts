/** Exponential backoff bounds; defaults suit a broker or database that restarts in seconds. */
export interface BackoffOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export const DEFAULT_BACKOFF = { initialDelayMs: 100, maxDelayMs: 10_000 } as const;

/**
 * Delay before retry number `attempt` (1-based): "equal jitter", half fixed and half random, of
 * `initial * 2^(attempt-1)` capped at `maxDelayMs`. The random half keeps a fleet of replicas that lost the
 * broker together from reconnecting in lockstep; the fixed half keeps every delay from collapsing to ~0.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  // The exponent is clamped so a long outage cannot overflow to Infinity.
  const ceiling = Math.min(max, initial * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
