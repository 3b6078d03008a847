import { parseWords } from './words';

describe('parseWords', () => {
  it('splits on newlines and keeps order', () => {
    expect(parseWords('word1\nword2')).toEqual(['word1', 'word2']);
  });

  it('drops blank lines and lines over 256 characters but never trims', () => {
    const text = ['a', '', '   ', 'x'.repeat(257), 'y'.repeat(256), ' spaced ', 'ciemno, choć w pysk daj', ''].join(
      '\n',
    );

    expect(parseWords(text)).toEqual(['a', 'y'.repeat(256), ' spaced ', 'ciemno, choć w pysk daj']);
  });

  it('gives no words for empty content', () => {
    expect(parseWords('')).toEqual([]);
  });
});
