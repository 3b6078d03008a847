/** A stable, client-visible error: `code` is permanent (offnd.at codes where they exist), `message` is for humans. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
}

/**
 * A failure with a permanent code. The HTTP layer maps codes to statuses in one table; domain code never
 * chooses a status. `detail` is the problem's `detail` member when the original API shows one.
 */
export class CodedError extends Error {
  readonly code: string;
  readonly errors: readonly ErrorDetail[];

  constructor(error: ErrorDetail, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'CodedError';
    this.code = error.code;
    this.errors = [error];
  }
}

/** The code of every `ValidationError`; the failed rules' own codes are in its `errors`. */
export const VALIDATION_CODE = 'Validation';

/** Request validation failed: every failure is reported together, in rule order. */
export class ValidationError extends CodedError {
  constructor(errors: readonly ErrorDetail[]) {
    super({ code: VALIDATION_CODE, message: 'One or more validation errors occurred.' });
    this.name = 'ValidationError';
    Object.defineProperty(this, 'errors', { value: errors });
  }
}

export const GeneralErrors = {
  serverError: { code: 'General.ServerError', message: 'The server encountered an unrecoverable error.' },
  unauthorized: {
    code: 'General.Unauthorized',
    message: 'You are not authorized to access the requested resource or perform the requested action.',
  },
  tooManyRequests: { code: 'General.TooManyRequests', message: 'Too many requests. Please try again later.' },
  notFound: { code: 'General.NotFound', message: 'The requested resource was not found.' },
  unprocessable: { code: 'General.UnprocessableRequest', message: 'The server could not process the request.' },
  malformedJson: { code: 'General.MalformedJson', message: 'The request body is not valid JSON.' },
  payloadTooLarge: { code: 'General.PayloadTooLarge', message: 'The request body is larger than allowed.' },
  unsupportedMediaType: {
    code: 'General.UnsupportedMediaType',
    message: 'The request body must be sent as application/json.',
  },
  unavailable: { code: 'General.Unavailable', message: 'The service is temporarily unavailable.' },
  badRequest: { code: 'General.BadRequest', message: 'The request could not be understood.' },
  malformedUrl: { code: 'General.MalformedUrl', message: 'The URL is not correctly percent-encoded.' },
  undecodableBody: {
    code: 'General.UndecodableBody',
    message: 'The request body could not be decoded with its declared Content-Encoding.',
  },
  headersTooLarge: { code: 'General.HeadersTooLarge', message: 'The request headers are larger than allowed.' },
  methodNotAllowed: {
    code: 'General.MethodNotAllowed',
    message: 'The method is not allowed on this resource; see the Allow header.',
  },
} as const satisfies Record<string, ErrorDetail>;
