import { vocabularyPath, type VocabularyDescriptor } from '../vocabularies/vocabulary';
import { findMissingVocabularies, requestableVocabularies } from './requestable-vocabularies';

describe('requestableVocabularies', () => {
  it('lists the 8 English and 29 Polish files upstream ships, once each', () => {
    const paths = requestableVocabularies().map(vocabularyPath);

    expect(paths.filter((path) => path.startsWith('en/'))).toHaveLength(8);
    expect(paths.filter((path) => path.startsWith('pl/'))).toHaveLength(29);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('pl/non-offensive/singular/feminine/politicians/nouns.txt');
    expect(paths).not.toContain('pl/non-offensive/singular/neuter/politicians/nouns.txt');
    expect(paths).not.toContain('en/offensive/none/none/politicians/nouns.txt');
  });
});

describe('findMissingVocabularies', () => {
  it('reports the paths the repository cannot serve', async () => {
    const missing = 'en/offensive/none/none/none/adverbs.txt';
    const vocabularies = {
      get: (descriptor: VocabularyDescriptor) => {
        const path = vocabularyPath(descriptor);
        return Promise.resolve(path === missing ? undefined : { path, words: ['word'] });
      },
    };

    await expect(findMissingVocabularies(vocabularies)).resolves.toEqual([missing]);
  });
});
