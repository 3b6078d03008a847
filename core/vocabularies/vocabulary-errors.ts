import type { ErrorDetail } from '../errors/coded-error';

export const VocabularyErrors = {
  notFound: { code: 'Vocabulary.NotFound', message: 'The vocabulary with the specified parameters was not found.' },
} as const satisfies Record<string, ErrorDetail>;
