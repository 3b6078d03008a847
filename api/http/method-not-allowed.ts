import type { RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import { RESERVED_PATHS } from '../../core/phrases/reserved-paths';

const READ = 'GET, HEAD';

/**
 * Every path the API serves, with the methods it accepts there. A request that reaches this table matched
 * no route, so a known path means a method the path does not take. Keep in step with the routes and the
 * OpenAPI document (`docs/openapi.ts`).
 */
const RESOURCES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/v1\/links\/?$/, 'POST'],
  [/^\/v1\/links\/[^/]+\/?$/, READ],
  [/^\/v1\/(languages|themes|formats)\/?$/, READ],
  [/^\/v1\/redirects\/[^/]+$/, READ],
  [/^\/(health|ready|docs|docs\/init\.js|openapi\/v1\.json)$/, READ],
  [/^\/s\/[^/]+$/, READ],
];

const notAllowed = new CodedError(GeneralErrors.methodNotAllowed);

function allowedAt(path: string): string | undefined {
  for (const [pattern, allow] of RESOURCES) if (pattern.test(path)) return allow;
  // Any other single segment is a short link, unless the API reserves the name.
  const segment = /^\/([^/]+)$/.exec(path)?.[1];
  return segment !== undefined && !RESERVED_PATHS.has(segment) ? READ : undefined;
}

/**
 * 405 with `Allow` for a method a known resource does not take (RFC 9110), instead of a 404 that says the
 * resource does not exist; OPTIONS is answered with the `Allow` list. Unknown paths fall through to the 404.
 */
export function methodNotAllowed(): RequestHandler {
  return (req, res, next) => {
    const allow = allowedAt(req.path);
    if (allow === undefined) return next();
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next(notAllowed);
  };
}
