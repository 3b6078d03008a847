export { formatPhrase, toKebabCase, toPascalCase, type FormatName } from './case-format';
export { MAX_PHRASE_LENGTH, PhraseErrors, assertValidPhrase } from './phrase';
export {
  MAX_EXTRA_WORDS,
  createPhraseGenerator,
  type GeneratePhraseInput,
  type PhraseGenerator,
  type PhraseGeneratorOptions,
} from './phrase-generator';
export { findMissingVocabularies, requestableVocabularies } from './requestable-vocabularies';
