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
    limiter
      .limit({
        // The address Express trusts (after `trust proxy`), as the redirect handler does.
        ip: req.ip ?? req.socket.remoteAddress,
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

/** 429 problem+json (`General.TooManyRequests`) with `Retry-After`, through the api's one problem writer. */
function rejectTooManyRequests(req: IncomingMessage, res: ServerResponse, retryAfterSec: number): void {
  writeRetryAfter(res, retryAfterSec);
  sendProblem(req, res, TOO_MANY_REQUESTS);
}
