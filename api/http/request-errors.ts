import { CodedError, GeneralErrors } from '../../core/errors/coded-error';

/** body-parser's error types, mapped to our codes so clients never see its HTML or a 500. */
const bodyErrors: Record<string, CodedError> = {
  'entity.parse.failed': new CodedError(GeneralErrors.malformedJson),
  'entity.too.large': new CodedError(GeneralErrors.payloadTooLarge),
  'encoding.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
  'charset.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
};
const malformedUrl = new CodedError(GeneralErrors.malformedUrl);
const undecodableBody = new CodedError(GeneralErrors.undecodableBody);
const badRequest = new CodedError(GeneralErrors.badRequest);

/** zlib's codes (`Z_DATA_ERROR`, `Z_BUF_ERROR`, ...) and the Brotli and Zstandard decoders' (`ERR_*`). */
const DECOMPRESSION = /^(Z_|ERR_(_ERROR_|BROTLI|ZSTD|ZLIB))/;

/**
 * The framework's own errors for input it could not read, as coded errors: a path parameter that is not
 * percent-encoded correctly (Express throws URIError), a body its Content-Encoding cannot decode, anything
 * else body-parser refuses with a 4xx. Everything else passes through unchanged.
 */
export function requestErrorOf(error: unknown): unknown {
  if (error instanceof URIError) return malformedUrl;
  if (typeof error !== 'object' || error === null) return error;
  const { type, status, code } = error as { type?: unknown; status?: unknown; code?: unknown };
  if (typeof type === 'string' && bodyErrors[type]) return bodyErrors[type];
  if (typeof code === 'string' && DECOMPRESSION.test(code)) return undecodableBody;
  if (typeof status === 'number' && status >= 400 && status < 500) return badRequest;
  return error;
}
