import type { ErrorDetail } from '../../core/errors/coded-error';

export const AdminErrors = {
  forbidden: { code: 'Admin.Forbidden', message: 'The admin key lacks the scope this action needs.' },
  invalidCursor: { code: 'Admin.InvalidCursor', message: 'The cursor is not one this API issued.' },
  invalidRequest: { code: 'Admin.InvalidRequest', message: 'The request is not valid.' },
} as const satisfies Record<string, ErrorDetail>;
