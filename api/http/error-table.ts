import { BlocklistErrors } from '../../core/blocklist/blocklist-rule';
import { CatalogueErrors } from '../../core/catalogue/catalogue-errors';
import { AdminErrors } from '../admin/admin-errors';
import { GeneralErrors, VALIDATION_CODE } from '../../core/errors/coded-error';
import { LinkErrors } from '../../core/links/link';
import { PhraseErrors } from '../../core/phrases/phrase';
import { VocabularyErrors } from '../../core/vocabularies/vocabulary-errors';

/**
 * The one place that decides how a coded error looks over HTTP. Titles and `type` links follow the
 * original API's problem details so its web client keeps working.
 */
export interface ProblemMapping {
  readonly status: number;
  readonly title: string;
  /** Whether the problem carries the first error's message as `detail` (the original's "Result" failures). */
  readonly withDetail: boolean;
}

const VALIDATION: ProblemMapping = { status: 400, title: 'One or more validation errors occurred.', withDetail: false };
const BAD_REQUEST: ProblemMapping = { status: 400, title: 'Bad Request', withDetail: true };
const NOT_FOUND: ProblemMapping = { status: 404, title: 'Not Found', withDetail: true };
const GONE: ProblemMapping = { status: 410, title: 'Gone', withDetail: true };

/** Keyed by the declared errors' codes, so a code cannot be mapped here under a spelling nobody throws. */
const byCode: Record<string, ProblemMapping> = {
  [VALIDATION_CODE]: VALIDATION,
  [GeneralErrors.malformedJson.code]: VALIDATION,
  [GeneralErrors.unprocessable.code]: BAD_REQUEST,
  [PhraseErrors.nullOrEmpty.code]: BAD_REQUEST,
  [PhraseErrors.longerThanAllowed.code]: BAD_REQUEST,
  [VocabularyErrors.notFound.code]: BAD_REQUEST,
  // Validation rejects unknown ids first; these only surface if the catalogue and validation ever disagree.
  [CatalogueErrors.languageNotFound.code]: BAD_REQUEST,
  [CatalogueErrors.themeNotFound.code]: BAD_REQUEST,
  [CatalogueErrors.formatNotFound.code]: BAD_REQUEST,
  [LinkErrors.couldNotGenerate.code]: { status: 503, title: 'Service Unavailable', withDetail: true },
  [LinkErrors.notFound.code]: NOT_FOUND,
  [LinkErrors.disabled.code]: GONE,
  [LinkErrors.deleted.code]: GONE,
  [LinkErrors.expired.code]: GONE,
  [LinkErrors.blocked.code]: GONE,
  [GeneralErrors.notFound.code]: NOT_FOUND,
  [GeneralErrors.unauthorized.code]: { status: 401, title: 'Unauthorized', withDetail: false },
  [GeneralErrors.payloadTooLarge.code]: { status: 413, title: 'Content Too Large', withDetail: true },
  [GeneralErrors.unsupportedMediaType.code]: { status: 415, title: 'Unsupported Media Type', withDetail: true },
  [GeneralErrors.tooManyRequests.code]: { status: 429, title: 'An application error occurred.', withDetail: false },
  [GeneralErrors.unavailable.code]: { status: 503, title: 'Service Unavailable', withDetail: true },
  [AdminErrors.forbidden.code]: { status: 403, title: 'Forbidden', withDetail: true },
  [AdminErrors.invalidCursor.code]: BAD_REQUEST,
  [AdminErrors.invalidRequest.code]: BAD_REQUEST,
  [BlocklistErrors.invalidRule.code]: BAD_REQUEST,
  [BlocklistErrors.targetBlocked.code]: BAD_REQUEST,
  [BlocklistErrors.ruleNotFound.code]: NOT_FOUND,
  [BlocklistErrors.ruleExists.code]: { status: 409, title: 'Conflict', withDetail: true },
  [GeneralErrors.badRequest.code]: BAD_REQUEST,
  [GeneralErrors.malformedUrl.code]: BAD_REQUEST,
  [GeneralErrors.undecodableBody.code]: BAD_REQUEST,
  [GeneralErrors.headersTooLarge.code]: { status: 431, title: 'Request Header Fields Too Large', withDetail: true },
  [GeneralErrors.methodNotAllowed.code]: { status: 405, title: 'Method Not Allowed', withDetail: true },
};

export const SERVER_ERROR: ProblemMapping = { status: 500, title: 'An unexpected error occurred.', withDetail: false };

export function mappingFor(code: string): ProblemMapping {
  return byCode[code] ?? SERVER_ERROR;
}

/** RFC 9110 section links, as ASP.NET writes them; 429 has none in the original, so it gets no `type`. */
export const typeForStatus: Readonly<Record<number, string>> = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  401: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
  403: 'https://tools.ietf.org/html/rfc9110#section-15.5.4',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  409: 'https://tools.ietf.org/html/rfc9110#section-15.5.10',
  410: 'https://tools.ietf.org/html/rfc9110#section-15.5.11',
  405: 'https://tools.ietf.org/html/rfc9110#section-15.5.6',
  413: 'https://tools.ietf.org/html/rfc9110#section-15.5.14',
  415: 'https://tools.ietf.org/html/rfc9110#section-15.5.16',
  431: 'https://tools.ietf.org/html/rfc6585#section-5',
  500: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
  503: 'https://tools.ietf.org/html/rfc9110#section-15.6.4',
};
