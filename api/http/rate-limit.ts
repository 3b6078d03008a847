import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import type { ApiRateLimiter } from '../../core/ratelimit/api-rate-limiter';
import { writeRateLimitHeaders, writeRetryAfter } from './rate-limit-headers';
import { API_KEY_HEADER } from './api-key';
import { sendProblem } from './problem';

/** One immutable instance: building an Error per 429 would capture a stack trace for every rejected request. */
const TOO_MANY_REQUESTS = new CodedError(GeneralErrors.tooManyRequests);

/**
 * Express middleware for the API routes. Mount it after CORS (so browsers can read a 429) and before
 * authentication; keep `/health`, `/ready`, `/metrics` and the redirect routes out of it.
 */
export function rateLimitApi(limiter: ApiRateLimiter): RequestHandler {
  return (req, res, next) => {
    // The address Express trusts (after `trust proxy`), as the redirect handler does.
    limitApiRequest(limiter, req, res, req.ip ?? req.socket.remoteAddress).then(
      (allowed) => (allowed ? next() : undefined),
      next,
    );
  };
}

/**
 * Asks the limiter about one request and writes its headers; a refused request is answered 429 here. Resolves to
 * whether the request may go on. Shared by the middleware and the lean creation path.
 */
export async function limitApiRequest(
  limiter: ApiRateLimiter,
  req: IncomingMessage,
  res: ServerResponse,
  ip: string | undefined,
): Promise<boolean> {
  const header = req.headers[API_KEY_HEADER];
  const decision = await limiter.limit({
    ip,
    apiKey: typeof header === 'string' ? header : undefined,
    stillWanted: () => !req.socket.destroyed,
  });
  if (decision === undefined) return true;
  writeRateLimitHeaders(res, decision);
  if (decision.allowed) return true;
  rejectTooManyRequests(req, res, decision.retryAfterSec);
  return false;
}

/** 429 problem+json (`General.TooManyRequests`) with `Retry-After`, through the api's one problem writer. */
function rejectTooManyRequests(req: IncomingMessage, res: ServerResponse, retryAfterSec: number): void {
  writeRetryAfter(res, retryAfterSec);
  sendProblem(req, res, TOO_MANY_REQUESTS);
}
