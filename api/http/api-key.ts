import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';

export const API_KEY_HEADER = 'x-offnd-api-key';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Accepts any configured key. Comparing SHA-256 digests keeps the comparison constant-time and
 * independent of key length; every key is compared so timing does not reveal which one matched.
 */
export function createApiKeyCheck(keys: readonly string[]): (presented: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (presented) => {
    if (presented === undefined || presented === '') return false;
    const candidate = digest(presented);
    let matched = false;
    for (const key of digests) matched = timingSafeEqual(key, candidate) || matched;
    return matched;
  };
}

/** One instance: building an Error per refused request would capture a stack trace each time. */
export const UNAUTHORIZED = new CodedError(GeneralErrors.unauthorized);

/**
 * Whether a request carries an accepted key in its header. With no keys configured the API is open, as a
 * single-user install expects. Shared by the Express guard and the lean creation path.
 */
export function requestKeyCheck(keys: readonly string[]): (req: IncomingMessage) => boolean {
  if (keys.length === 0) return () => true;
  const check = createApiKeyCheck(keys);
  return (req) => {
    const header = req.headers[API_KEY_HEADER];
    return check(typeof header === 'string' ? header : undefined);
  };
}

export function requireApiKey(keys: readonly string[]): RequestHandler {
  const accepted = requestKeyCheck(keys);
  return (req, _res, next) => next(accepted(req) ? undefined : UNAUTHORIZED);
}
