import { ID_RANGES, type IdRange } from '../../core/catalogue/catalogue';
import { ValidationError, type ErrorDetail } from '../../core/errors/coded-error';
import { TARGET_URL_MAX_LENGTH } from '../../core/links/link';
import type { CreateLinkInput } from '../../core/links/create-link';
import { CONTROL_CHARACTER, exceedsLength } from '../../core/phrases/phrase';

export const CreateLinkErrors = {
  targetUrlRequired: { code: 'GenerateLink.TargetUrlIsRequired', message: 'The target URL is required.' },
  targetUrlNotAbsolute: {
    code: 'GenerateLink.TargetUrlMustBeAbsoluteUri',
    message: 'The target URL must be an absolute URI.',
  },
  targetUrlScheme: {
    code: 'GenerateLink.TargetUrlSchemeNotAllowed',
    message: 'The target URL must use the http or https scheme.',
  },
  targetUrlTooLong: { code: 'TargetUrl.LongerThanAllowed', message: 'The target URL is longer than allowed.' },
  formatOutOfRange: outOfRange('GenerateLink.FormatIdOutOfRange', 'format', ID_RANGES.format),
  languageOutOfRange: outOfRange('GenerateLink.LanguageIdOutOfRange', 'language', ID_RANGES.language),
  themeOutOfRange: outOfRange('GenerateLink.ThemeIdOutOfRange', 'theme', ID_RANGES.theme),
  bodyNotObject: { code: 'GenerateLink.BodyMustBeObject', message: 'The request body must be a JSON object.' },
} as const satisfies Record<string, ErrorDetail>;

/** The original's wording, with the bounds taken from the catalogue. */
function outOfRange(code: string, noun: string, range: IdRange): ErrorDetail {
  return { code, message: `The ${noun} identifier must be in the range from ${range.min} to ${range.max} inclusive.` };
}

const FIELDS = ['targetUrl', 'languageId', 'themeId', 'formatId'] as const;

/** The original binds bodies case-insensitively (`TargetUrl` works); unknown keys are ignored. */
function pickFields(body: object): Partial<Record<(typeof FIELDS)[number], unknown>> {
  const picked: Partial<Record<(typeof FIELDS)[number], unknown>> = {};
  for (const [key, value] of Object.entries(body)) {
    const field = FIELDS.find((name) => name.toLowerCase() === key.toLowerCase());
    if (field && !(field in picked)) picked[field] = value;
  }
  return picked;
}

function checkUrl(value: unknown, errors: ErrorDetail[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push(CreateLinkErrors.targetUrlRequired, CreateLinkErrors.targetUrlNotAbsolute);
    return '';
  }
  if (exceedsLength(value, TARGET_URL_MAX_LENGTH)) {
    errors.push(CreateLinkErrors.targetUrlTooLong);
    return '';
  }
  // RFC 3986 has no place for them, the URL parser would silently drop some, and PostgreSQL cannot store NUL.
  if (CONTROL_CHARACTER.test(value)) {
    errors.push(CreateLinkErrors.targetUrlNotAbsolute);
    return '';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push(CreateLinkErrors.targetUrlNotAbsolute);
    return '';
  }
  // Only web targets: javascript:, data: and file: links turn a shortener into a phishing tool.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    errors.push(CreateLinkErrors.targetUrlScheme);
    return '';
  }
  // Stored as given (stats show what the user typed); redirects send the normalised, percent-encoded form.
  return value.trim();
}

function checkRange(value: unknown, range: IdRange, error: ErrorDetail, errors: ErrorDetail[]): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max) return value;
  errors.push(error);
  return -1;
}

/**
 * Validates a create request in the original's rule order and reports every failure at once.
 * Missing, null and wrongly typed fields fail the rule of their field (the original substitutes
 * -1 and "" before validating), so clients see one stable set of codes.
 */
export function validateCreateLink(body: unknown): CreateLinkInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError([CreateLinkErrors.bodyNotObject]);
  }
  const fields = pickFields(body);
  const errors: ErrorDetail[] = [];
  const targetUrl = checkUrl(fields.targetUrl, errors);
  const formatId = checkRange(fields.formatId, ID_RANGES.format, CreateLinkErrors.formatOutOfRange, errors);
  const languageId = checkRange(fields.languageId, ID_RANGES.language, CreateLinkErrors.languageOutOfRange, errors);
  const themeId = checkRange(fields.themeId, ID_RANGES.theme, CreateLinkErrors.themeOutOfRange, errors);
  if (errors.length > 0) throw new ValidationError(errors);
  return { targetUrl, languageId, themeId, formatId };
}
