import { languages, themes } from '../catalogue/catalogue';
import {
  vocabularyPath,
  type GrammaticalGender,
  type GrammaticalNumber,
  type LanguageCode,
  type VocabularyDescriptor,
  type VocabularyTheme,
} from '../vocabularies/vocabulary';
import type { VocabularyRepository } from '../vocabularies/vocabulary-repository';

const POLISH_AGREEMENT: Record<VocabularyTheme, ReadonlyArray<readonly [GrammaticalNumber, GrammaticalGender]>> = {
  none: [
    ['singular', 'masculine'],
    ['singular', 'feminine'],
    ['singular', 'neuter'],
    ['plural', 'masculine-personal'],
    ['plural', 'non-masculine-personal'],
  ],
  'proper-names': [
    ['singular', 'masculine'],
    ['singular', 'feminine'],
    ['singular', 'neuter'],
    ['plural', 'masculine-personal'],
    ['plural', 'non-masculine-personal'],
  ],
  politicians: [
    ['singular', 'masculine'],
    ['singular', 'feminine'],
  ],
};

function agreements(language: LanguageCode, theme: VocabularyTheme) {
  return language === 'pl' ? POLISH_AGREEMENT[theme] : ([['none', 'none']] as const);
}

/**
 * Every list the generator can ask for, mirroring `drawGrammar` and `drawOffensiveness` (37 for en + pl).
 * Used to check a vocabulary source is complete and to warm the cache before a pod reports ready.
 */
export function requestableVocabularies(): VocabularyDescriptor[] {
  const byPath = new Map<string, VocabularyDescriptor>();
  const add = (descriptor: VocabularyDescriptor) => byPath.set(vocabularyPath(descriptor), descriptor);
  for (const { code: language } of languages) {
    for (const offensiveness of ['offensive', 'non-offensive'] as const) {
      add({ language, offensiveness, number: 'none', gender: 'none', theme: 'none', partOfSpeech: 'adverb' });
    }
    for (const { name: theme } of themes) {
      for (const [number, gender] of agreements(language, theme)) {
        for (const offensiveness of ['offensive', 'non-offensive'] as const) {
          add({ language, offensiveness, number, gender, theme: 'none', partOfSpeech: 'adjective' });
        }
        add({ language, offensiveness: 'non-offensive', number, gender, theme, partOfSpeech: 'noun' });
        if (theme === 'none')
          add({ language, offensiveness: 'offensive', number, gender, theme, partOfSpeech: 'noun' });
      }
    }
  }
  return [...byPath.values()];
}

/**
 * Loads every requestable list through the repository (warming its cache) and returns the paths that are missing
 * or empty. Load failures reject. Meant for start-up or readiness: a source that cannot serve every list would
 * otherwise fail only some link creations, at random.
 */
export async function findMissingVocabularies(
  vocabularies: Pick<VocabularyRepository, 'get'>,
  descriptors: readonly VocabularyDescriptor[] = requestableVocabularies(),
): Promise<string[]> {
  const loaded = await Promise.all(descriptors.map((descriptor) => vocabularies.get(descriptor)));
  return descriptors.filter((_descriptor, index) => loaded[index] === undefined).map(vocabularyPath);
}
