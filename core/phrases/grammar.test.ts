import { drawGrammar, drawOffensiveness, pick } from './grammar';

/** Replays the given draws in order, then fails loudly if the code under test consumes more. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => {
    const value = values[index];
    index += 1;
    if (value === undefined) throw new Error('random() called more often than expected');
    return value;
  };
}

describe('drawOffensiveness', () => {
  it('makes the noun offensive on a high first draw when there is no theme', () => {
    expect(drawOffensiveness('none', sequence(0.5))).toEqual({ noun: true, adjective: false, adverb: false });
  });

  it('falls to the adjective, then the adverb', () => {
    expect(drawOffensiveness('none', sequence(0.49, 0.5))).toEqual({ noun: false, adjective: true, adverb: false });
    expect(drawOffensiveness('none', sequence(0.49, 0.49))).toEqual({ noun: false, adjective: false, adverb: true });
  });

  it('never makes a themed noun offensive and draws only once', () => {
    expect(drawOffensiveness('politicians', sequence(0.99))).toEqual({ noun: false, adjective: true, adverb: false });
    expect(drawOffensiveness('proper-names', sequence(0.1))).toEqual({ noun: false, adjective: false, adverb: true });
  });

  it('marks exactly one word offensive with the upstream probabilities', () => {
    const counts = { noun: 0, adjective: 0, adverb: 0 };
    const steps = 400;
    for (let a = 0; a < steps; a += 1) {
      for (let b = 0; b < 2; b += 1) {
        const draw = drawOffensiveness('none', sequence((a + 0.5) / steps, b === 0 ? 0.25 : 0.75));
        expect(Number(draw.noun) + Number(draw.adjective) + Number(draw.adverb)).toBe(1);
        if (draw.noun) counts.noun += 1;
        if (draw.adjective) counts.adjective += 1;
        if (draw.adverb) counts.adverb += 1;
      }
    }
    expect(counts).toEqual({ noun: 400, adjective: 200, adverb: 200 });
  });
});

describe('drawGrammar', () => {
  it('uses no number or gender for English and consumes no randomness', () => {
    expect(drawGrammar('en', 'none', sequence())).toEqual({ number: 'none', gender: 'none' });
  });

  it('draws a singular gender or a plural one for Polish', () => {
    expect(drawGrammar('pl', 'none', sequence(0.1, 0.1))).toEqual({ number: 'singular', gender: 'masculine' });
    expect(drawGrammar('pl', 'none', sequence(0.1, 0.5))).toEqual({ number: 'singular', gender: 'feminine' });
    expect(drawGrammar('pl', 'proper-names', sequence(0.1, 0.9))).toEqual({ number: 'singular', gender: 'neuter' });
    expect(drawGrammar('pl', 'none', sequence(0.6, 0.2))).toEqual({ number: 'plural', gender: 'masculine-personal' });
    expect(drawGrammar('pl', 'none', sequence(0.6, 0.8))).toEqual({
      number: 'plural',
      gender: 'non-masculine-personal',
    });
  });

  it('draws only singular masculine or feminine for Polish politicians', () => {
    expect(drawGrammar('pl', 'politicians', sequence(0.2))).toEqual({ number: 'singular', gender: 'masculine' });
    expect(drawGrammar('pl', 'politicians', sequence(0.7))).toEqual({ number: 'singular', gender: 'feminine' });
  });
});

describe('pick', () => {
  it('picks uniformly by index and tolerates a random() of exactly 1', () => {
    expect(pick(['a', 'b', 'c', 'd'], () => 0)).toBe('a');
    expect(pick(['a', 'b', 'c', 'd'], () => 0.5)).toBe('c');
    expect(pick(['a', 'b', 'c', 'd'], () => 1)).toBe('d');
  });

  it('throws on an empty list', () => {
    expect(() => pick([], () => 0)).toThrow(RangeError);
  });
});
