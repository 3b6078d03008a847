import { CONTROL_CHARACTER, exceedsLength } from './phrase';

describe('exceedsLength', () => {
  it('counts characters as PostgreSQL does: an astral character is one, not two UTF-16 units', () => {
    const astral = '😀'.repeat(3);

    expect(astral.length).toBe(6);
    expect(exceedsLength(astral, 3)).toBe(false);
    expect(exceedsLength(astral, 2)).toBe(true);
    expect(exceedsLength('abcd', 3)).toBe(true);
    expect(exceedsLength('abc', 3)).toBe(false);
  });
});

describe('CONTROL_CHARACTER', () => {
  it.each(['\u0000', '\u0009', '\u001f', '\u007f', '\u0085', '\u009f'])('matches U+%s', (character) => {
    expect(CONTROL_CHARACTER.test(`a${character}b`)).toBe(true);
  });

  it('leaves letters, spaces and punctuation of every script alone', () => {
    expect(CONTROL_CHARACTER.test('szybko-żabi-kot ¡hola! 😀')).toBe(false);
  });
});
