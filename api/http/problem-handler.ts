import type { ErrorRequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import type { Logger } from '../../core/logging/logger';
import { sendProblem } from './problem';

/** body-parser's error types, mapped to our codes so clients never see its HTML or a 500. */
const bodyErrors: Record<string, CodedError> = {
  'entity.parse.failed': new CodedError(GeneralErrors.malformedJson),
  'entity.too.large': new CodedError(GeneralErrors.payloadTooLarge),
  'encoding.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
  'charset.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
};

/** The last Express handler of every app this process serves: coded errors as problem+json, the rest as a logged 500. */
export function problemHandler(deps: { readonly logger: Pick<Logger, 'error'> }): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const typed = error as { type?: string; status?: number };
    const mapped = (typed.type && bodyErrors[typed.type]) || error;
    if (res.headersSent) return void res.end();
    const problem = sendProblem(req, res, mapped);
    if (problem.status >= 500)
      deps.logger.error({ err: error, requestId: problem.requestId, instance: problem.instance }, 'unhandled error');
  };
}
