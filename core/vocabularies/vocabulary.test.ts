import { vocabularyPath } from './vocabulary';

describe('vocabularyPath', () => {
  it('lays a descriptor out like the upstream repository', () => {
    expect(
      vocabularyPath({
        language: 'en',
        offensiveness: 'offensive',
        number: 'plural',
        gender: 'masculine-personal',
        theme: 'politicians',
        partOfSpeech: 'noun',
      }),
    ).toBe('en/offensive/plural/masculine-personal/politicians/nouns.txt');
  });

  it('follows a mutable descriptor that changes (only frozen ones have their path remembered)', () => {
    const frozen = Object.freeze({
      language: 'pl',
      offensiveness: 'non-offensive',
      number: 'singular',
      gender: 'feminine',
      theme: 'none',
      partOfSpeech: 'adjective',
    } as const);
    const mutable = { ...frozen, number: 'plural' as 'singular' | 'plural' };

    expect(vocabularyPath(frozen)).toBe('pl/non-offensive/singular/feminine/none/adjectives.txt');
    expect(vocabularyPath(frozen)).toBe('pl/non-offensive/singular/feminine/none/adjectives.txt');
    expect(vocabularyPath(mutable)).toBe('pl/non-offensive/plural/feminine/none/adjectives.txt');
    mutable.number = 'singular';
    expect(vocabularyPath(mutable)).toBe('pl/non-offensive/singular/feminine/none/adjectives.txt');
  });
});
