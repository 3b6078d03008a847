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
});
