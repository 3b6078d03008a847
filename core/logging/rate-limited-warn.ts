import type { Logger } from './logger';

export type Warn = (error: unknown, message: string) => void;

/**
 * While Redis is down every redirect would log the same failure; one line per message per interval, carrying
 * how many were swallowed since the last one, keeps the logs readable and cheap.
 */
export function createRateLimitedWarn(
  logger: Pick<Logger, 'warn'>,
  intervalMs: number,
  now: () => number = Date.now,
): Warn {
  const state = new Map<string, { last: number; suppressed: number }>();
  return (error, message) => {
    const t = now();
    const entry = state.get(message);
    if (entry && t - entry.last < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    logger.warn({ err: error, suppressed: entry?.suppressed ?? 0 }, message);
    state.set(message, { last: t, suppressed: 0 });
  };
}
