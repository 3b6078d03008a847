import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedError, GeneralErrors, type ErrorDetail } from '../../core/errors/coded-error';
import { SERVER_ERROR, mappingFor, typeForStatus } from './error-table';
import { requestContext } from './request-context';

export interface ProblemDocument {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors: readonly ErrorDetail[];
  traceId: string;
  requestId: string;
  activityId: string;
}

/** Builds the problem document for a coded error (anything else is an unexpected server error). */
export function problemFor(req: IncomingMessage, error: unknown): ProblemDocument {
  const coded = error instanceof CodedError ? error : undefined;
  const mapping = coded ? mappingFor(coded.code) : SERVER_ERROR;
  const errors = coded && mapping !== SERVER_ERROR ? coded.errors : [GeneralErrors.serverError];
  const context = requestContext(req);
  const type = typeForStatus[mapping.status];
  const detail = mapping.withDetail ? errors[0]?.message : undefined;
  return {
    ...(type === undefined ? {} : { type }),
    title: mapping.title,
    status: mapping.status,
    ...(detail === undefined ? {} : { detail }),
    instance: `${req.method ?? 'GET'} ${pathOf(req)}`,
    errors,
    traceId: context.traceId,
    requestId: context.requestId,
    activityId: `00-${context.traceId}-${context.spanId}-01`,
  };
}

/** Writes a problem with node's raw response, so the lean redirect path and Express share one format. */
export function sendProblem(req: IncomingMessage, res: ServerResponse, error: unknown): ProblemDocument {
  const problem = problemFor(req, error);
  const body = JSON.stringify(problem);
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
  return problem;
}

function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
