import { CodedError, type ErrorDetail } from '../errors/coded-error';

/**
 * C0 and C1 control characters and DEL. No phrase holds one, and PostgreSQL text cannot even store NUL, so a
 * phrase or URL that contains one is malformed input, answered as such before any lookup.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Whether `text` holds more than `limit` characters as PostgreSQL's varchar(n) and the OpenAPI document count
 * them (code points). Only text longer than `limit` UTF-16 units, where the two counts can differ, is walked.
 */
export function exceedsLength(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}

/** Upstream's `Phrase` value object limit (also the column size). */
export const MAX_PHRASE_LENGTH = 256;

export const PhraseErrors = {
  nullOrEmpty: { code: 'Phrase.NullOrEmpty', message: 'The phrase is required.' },
  longerThanAllowed: { code: 'Phrase.LongerThanAllowed', message: 'The phrase is longer than allowed.' },
} as const satisfies Record<string, ErrorDetail>;

/** Returns the phrase when it is a valid `Phrase`; throws the offnd.at coded error otherwise. */
export function assertValidPhrase(phrase: string): string {
  if (phrase.trim().length === 0) throw new CodedError(PhraseErrors.nullOrEmpty);
  if (phrase.length > MAX_PHRASE_LENGTH) throw new CodedError(PhraseErrors.longerThanAllowed);
  return phrase;
}
