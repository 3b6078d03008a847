import type { Language } from '../catalogue/catalogue';

export type LanguageCode = Language['code'];
export type Offensiveness = 'offensive' | 'non-offensive';
export type GrammaticalNumber = 'none' | 'singular' | 'plural';
export type GrammaticalGender =
  'none' | 'masculine' | 'feminine' | 'neuter' | 'masculine-personal' | 'non-masculine-personal';
export type VocabularyTheme = 'none' | 'proper-names' | 'politicians';
export type PartOfSpeech = 'adverb' | 'adjective' | 'noun';

/** Identifies one word list; the segments are the upstream folder names, so any upstream-shaped source works. */
export interface VocabularyDescriptor {
  readonly language: LanguageCode;
  readonly offensiveness: Offensiveness;
  readonly number: GrammaticalNumber;
  readonly gender: GrammaticalGender;
  readonly theme: VocabularyTheme;
  readonly partOfSpeech: PartOfSpeech;
}

/** A parsed, non-empty word list. Instances are shared by the cache, so they are never mutated. */
export interface Vocabulary {
  readonly path: string;
  readonly words: readonly string[];
}

const FILE_NAMES: Record<PartOfSpeech, string> = { adverb: 'adverbs', adjective: 'adjectives', noun: 'nouns' };

/**
 * Paths of frozen descriptors, which cannot change: a caller that reuses one (the phrase generator does, on every
 * link creation) gets the same string back instead of a new one to build, hash and compare in the cache's map.
 */
const frozenPaths = new WeakMap<VocabularyDescriptor, string>();

/** `{language}/{offensiveness}/{number}/{gender}/{theme}/{partOfSpeech}s.txt`, relative (no leading slash). */
export function vocabularyPath(descriptor: VocabularyDescriptor): string {
  const known = frozenPaths.get(descriptor);
  if (known !== undefined) return known;
  const { language, offensiveness, number, gender, theme, partOfSpeech } = descriptor;
  const path = `${language}/${offensiveness}/${number}/${gender}/${theme}/${FILE_NAMES[partOfSpeech]}.txt`;
  if (Object.isFrozen(descriptor)) frozenPaths.set(descriptor, path);
  return path;
}
