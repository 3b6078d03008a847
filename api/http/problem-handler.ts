import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../core/logging/logger';
import { createRateLimitedWarn } from '../../core/logging/rate-limited-warn';
import { sendProblem } from './problem';
import { requestErrorOf } from './request-errors';

/** Answers a request that failed: what the Express apps and the lean creation path both end with. */
export type ProblemResponder = (req: IncomingMessage, res: ServerResponse, error: unknown) => void;

/**
 * Coded errors (and the framework's errors for input it could not read) as problem+json, the rest as a logged 500.
 * One per process and app, so the outage warning below is rate limited across every path that uses it.
 */
export function createProblemResponder(deps: { readonly logger: Pick<Logger, 'error' | 'warn'> }): ProblemResponder {
  // During an outage every request fails alike: one line per interval says so without flooding the logs.
  const warnUnavailable = createRateLimitedWarn(deps.logger, 10_000);
  return (req, res, error) => {
    const mapped = requestErrorOf(error);
    if (res.headersSent) return void res.end();
    const problem = sendProblem(req, res, mapped);
    if (problem.status === 503) warnUnavailable(error, 'answered 503: a dependency is unavailable');
    else if (problem.status >= 500)
      deps.logger.error({ err: error, requestId: problem.requestId, instance: problem.instance }, 'unhandled error');
  };
}

/** The last Express handler of every app this process serves. */
export function problemHandler(respond: ProblemResponder): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => respond(req, res, error);
}
