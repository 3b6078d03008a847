import { CodedError, type ErrorDetail } from '../errors/coded-error';

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
