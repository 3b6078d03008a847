/** What a client may learn about its quota; the api turns it into the `RateLimit-*` response headers. */
export interface RateLimitInfo {
  /** Requests allowed in the window (or the bucket's capacity). */
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the quota is fully restored. */
  readonly resetSec: number;
}
