export { bundledVocabularyDirectory } from './bundled-vocabularies';
export {
  BUNDLED_VOCABULARY_SOURCE,
  createVocabularySource,
  type VocabularySourceOptions,
} from './create-vocabulary-source';
export { createFsVocabularySource } from './fs-vocabulary-source';
export { DEFAULT_HTTP_TIMEOUT_MS, createHttpVocabularySource } from './http-vocabulary-source';
export * from './vocabulary';
export { VocabularyErrors } from './vocabulary-errors';
export {
  createVocabularyRepository,
  type VocabularyLookupResult,
  type VocabularyRepository,
  type VocabularyRepositoryOptions,
} from './vocabulary-repository';
export type { VocabularySource } from './vocabulary-source';
export { parseWords } from './words';
