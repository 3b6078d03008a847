import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import type { ApiRateLimiter } from '../../core/ratelimit/api-rate-limiter';
import { writeRateLimitHeaders, writeRetryAfter } from './rate-limit-headers';
import type { RedirectRateLimiter } from '../../core/ratelimit/redirect-rate-limiter';
import { API_KEY_HEADER } from './api-key';
import { sendProblem } from './problem';

/** One immutable instance: building an Error per 429 would capture a stack trace for every rejected request. */
const TOO_MANY_REQUESTS = new CodedError(GeneralErrors.tooManyRequests);

export interface ApiRateLimitOptions {
  /** The client address the app trusts (after `trust proxy`); defaults to `req.ip`. */
  readonly clientIp?: (req: Request) => string | undefined;
}

/**
 * Express middleware for the API routes. Mount it after CORS (so browsers can read a 429) and before
 * authentication; keep `/health`, `/ready`, `/metrics` and the redirect routes out of it.
 */
export function rateLimitApi(limiter: ApiRateLimiter, options: ApiRateLimitOptions = {}): RequestHandler {
  const clientIp = options.clientIp ?? ((req: Request) => req.ip ?? req.socket.remoteAddress);
  return (req, res, next) => {
    limiter
      .limit({
        ip: clientIp(req),
        apiKey: req.get(API_KEY_HEADER),
        stillWanted: () => !req.socket.destroyed,
      })
      .then((decision) => {
        if (decision === undefined) return next();
        writeRateLimitHeaders(res, decision);
        if (decision.allowed) return next();
        rejectTooManyRequests(req, res, decision.retryAfterSec);
      }, next);
  };
}

/**
 * For the raw `node:http` redirect handler: takes a token for the client and writes the `RateLimit-*` headers.
 * Returns false after answering 429 itself; the caller then stops. Synchronous and allocation-free when allowed.
 */
export function admitRedirect(
  limiter: RedirectRateLimiter,
  req: IncomingMessage,
  res: ServerResponse,
  clientIp: string | undefined,
): boolean {
  const result = limiter.take(clientIp);
  if (result === undefined) return true;
  writeRateLimitHeaders(res, result);
  if (result.allowed) return true;
  rejectTooManyRequests(req, res, result.retryAfterSec);
  return false;
}

/** 429 problem+json (`General.TooManyRequests`) with `Retry-After`, through the api's one problem writer. */
export function rejectTooManyRequests(req: IncomingMessage, res: ServerResponse, retryAfterSec: number): void {
  writeRetryAfter(res, retryAfterSec);
  sendProblem(req, res, TOO_MANY_REQUESTS);
}
