/** Upstream's `Word` value object: at most 256 characters and not blank. */
export const MAX_WORD_LENGTH = 256;

/**
 * Splits a word-list file the way upstream does: on `\n`, dropping blank entries and entries over the limit.
 * Entries are deliberately not trimmed, so lists written for upstream produce byte-identical phrases.
 */
export function parseWords(text: string): string[] {
  return text.split('\n').filter((line) => line.trim().length > 0 && line.length <= MAX_WORD_LENGTH);
}
