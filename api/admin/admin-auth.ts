import type { Request, RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import { clientIpOf } from './admin-request';
import type { AdminScope } from './admin-config';
import type { AdminDeps } from './admin-deps';
import { AdminErrors } from './admin-errors';
import { bearerToken, type AdminPrincipal } from './admin-keys';

const UNAUTHORIZED = new CodedError(GeneralErrors.unauthorized);
const FORBIDDEN = new CodedError(AdminErrors.forbidden);
const principals = new WeakMap<Request, AdminPrincipal>();

/**
 * Rate limit by client IP first (so guessing keys is slow), then authenticate, then limit by key (so one busy
 * key cannot starve another behind the same address).
 */
export function authenticateAdmin(deps: Pick<AdminDeps, 'authenticate' | 'limit'>): RequestHandler {
  return async (req, res, next) => {
    await deps.limit?.(`ip:${clientIpOf(req)}`, res);
    const principal = deps.authenticate(bearerToken(req.get('authorization')));
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="offndat-admin"');
      throw UNAUTHORIZED;
    }
    await deps.limit?.(`key:${principal.id}`, res);
    principals.set(req, principal);
    next();
  };
}

export function requireScope(scope: AdminScope): RequestHandler {
  return (req, _res, next) => {
    next(principals.get(req)?.scopes.has(scope) ? undefined : FORBIDDEN);
  };
}

/** The audit log's `actor` and the request id for the request being served. */
export function actorOf(req: Request, requestId: string) {
  const principal = principals.get(req);
  return { id: `key:${principal?.id ?? 'unknown'}`, requestId };
}
