import type { Request } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../../core/errors/coded-error';
import { AdminErrors } from './admin-errors';

/** The address Express trusts (after `trust proxy`). */
export function clientIpOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Parses with the route's schema; every problem is reported at once under one stable code. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      code: AdminErrors.invalidRequest.code,
      message: `${issue.path.length > 0 ? issue.path.join('.') : 'request'}: ${issue.message}`,
    })),
  );
}
