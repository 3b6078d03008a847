import type { ErrorDetail } from '../errors/coded-error';

/** The offnd.at codes for ids outside the catalogue (request validation normally catches these first). */
export const CatalogueErrors = {
  languageNotFound: { code: 'Language.NotFound', message: 'The language with the specified identifier was not found.' },
  themeNotFound: { code: 'Theme.NotFound', message: 'The theme with the specified identifier was not found.' },
  formatNotFound: { code: 'Format.NotFound', message: 'The format with the specified identifier was not found.' },
} as const satisfies Record<string, ErrorDetail>;
