import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../core/logging/logger';
import { createRateLimitedWarn } from '../../core/logging/rate-limited-warn';
import { sendProblem } from './problem';
import { requestErrorOf } from './request-errors';

/**
 * The last Express handler of every app this process serves: coded errors (and the framework's errors for input
 * it could not read) as problem+json, the rest as a logged 500.
 */
export function problemHandler(deps: { readonly logger: Pick<Logger, 'error' | 'warn'> }): ErrorRequestHandler {
  // During an outage every request fails alike: one line per interval says so without flooding the logs.
  const warnUnavailable = createRateLimitedWarn(deps.logger, 10_000);
  return (error: unknown, req, res, _next) => {
    const mapped = requestErrorOf(error);
    if (res.headersSent) return void res.end();
    const problem = sendProblem(req, res, mapped);
    if (problem.status === 503) warnUnavailable(error, 'answered 503: a dependency is unavailable');
    else if (problem.status >= 500)
      deps.logger.error({ err: error, requestId: problem.requestId, instance: problem.instance }, 'unhandled error');
  };
}
