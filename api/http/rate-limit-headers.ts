import type { RateLimitInfo } from '../../core/ratelimit/rate-limit-info';

/** The minimum of a response both Express and raw `node:http` provide. */
export interface HeaderSink {
  setHeader(name: string, value: string | number): unknown;
}

/**
 * Writes the IETF draft `RateLimit-Limit/-Remaining/-Reset` fields (separate-header form). Uses `setHeader`
 * only, so the lean redirect handler can call it on a plain `ServerResponse`.
 */
export function writeRateLimitHeaders(res: HeaderSink, info: RateLimitInfo): void {
  res.setHeader('RateLimit-Limit', info.limit);
  res.setHeader('RateLimit-Remaining', Math.max(0, Math.floor(info.remaining)));
  res.setHeader('RateLimit-Reset', Math.max(0, Math.ceil(info.resetSec)));
}

/** `Retry-After` in delta-seconds; never 0, which some clients read as "retry immediately". */
export function writeRetryAfter(res: HeaderSink, seconds: number): void {
  res.setHeader('Retry-After', Math.max(1, Math.ceil(seconds)));
}
