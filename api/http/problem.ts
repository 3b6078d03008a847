import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTransientDatabaseError } from '../../core/db/transient-error';
import { CodedError, GeneralErrors, type ErrorDetail } from '../../core/errors/coded-error';
import { SERVER_ERROR, mappingFor, typeForStatus } from './error-table';
import { newRequestContext, requestContext, type RequestContext } from './request-context';

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

/** How long a client is asked to wait after a 503: about what a database restart or failover takes. */
export const RETRY_AFTER_UNAVAILABLE_SEC = 5;

const unavailable = new CodedError(GeneralErrors.unavailable);

/**
 * A database that is down, restarting or failing over is not the server's bug: it answers 503
 * `General.Unavailable` with `Retry-After`, like any dependency outage.
 */
function codedErrorOf(error: unknown): CodedError | undefined {
  if (error instanceof CodedError) return error;
  return isTransientDatabaseError(error) ? unavailable : undefined;
}

/** Builds the problem document for a coded error (anything else is an unexpected server error). */
export function problemFor(req: IncomingMessage, error: unknown): ProblemDocument {
  return buildProblem(error, `${req.method ?? 'GET'} ${pathOf(req)}`, requestContext(req));
}

function buildProblem(error: unknown, instance: string, context: RequestContext): ProblemDocument {
  const coded = codedErrorOf(error);
  const mapping = coded ? mappingFor(coded.code) : SERVER_ERROR;
  const errors = coded && mapping !== SERVER_ERROR ? coded.errors : [GeneralErrors.serverError];
  const type = typeForStatus[mapping.status];
  const detail = mapping.withDetail ? errors[0]?.message : undefined;
  return {
    ...(type === undefined ? {} : { type }),
    title: mapping.title,
    status: mapping.status,
    ...(detail === undefined ? {} : { detail }),
    instance,
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
  if (problem.status === 503 && !res.hasHeader('Retry-After'))
    res.setHeader('Retry-After', RETRY_AFTER_UNAVAILABLE_SEC);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
  return problem;
}

/**
 * A complete HTTP/1.1 response carrying the problem for a request node:http could not parse (oversize headers,
 * a malformed request line): there is no request object to answer on, only the socket. The connection closes.
 */
export function unparsedRequestResponse(error: unknown): string {
  const problem = buildProblem(error, '', newRequestContext());
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${problem.status} ${problem.title}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
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
