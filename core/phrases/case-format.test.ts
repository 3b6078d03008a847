import { formatPhrase, toKebabCase, toPascalCase } from './case-format';

// offnd.at's case-converter vectors (§3.4). The first three are upstream's asserted unit-test values.
const vectors: ReadonlyArray<readonly [string, string, string]> = [
  [
    'test adverb TEST_Adjective teST-123-nOUn',
    'test-adverb-test-adjective-te-st-123-n-o-un',
    'TestAdverbTESTAdjectiveTeST-123NOUn',
  ],
  ['fast blue car', 'fast-blue-car', 'FastBlueCar'],
  [
    'very fast brightly-colored sports_car',
    'very-fast-brightly-colored-sports-car',
    'VeryFastBrightlyColoredSportsCar',
  ],
  ['sanctimoniously carroty asscheek', 'sanctimoniously-carroty-asscheek', 'SanctimoniouslyCarrotyAsscheek'],
  // Upstream renders `Szybko żabiKot`; our PascalCase is deliberately Unicode-aware (decision #2).
  ['szybko żabi kot', 'szybko-żabi-kot', 'SzybkoŻabiKot'],
  ['fast blue McDonald', 'fast-blue-mc-donald', 'FastBlueMcDonald'],
];

describe('case formats', () => {
  it.each(vectors)('renders "%s" as kebab-case %s and PascalCase %s', (words, kebab, pascal) => {
    expect(toKebabCase(words)).toBe(kebab);
    expect(toPascalCase(words)).toBe(pascal);
    expect(formatPhrase(words, 'kebab-case')).toBe(kebab);
    expect(formatPhrase(words, 'pascal-case')).toBe(pascal);
  });

  it('capitalises non-ASCII initials after any separator', () => {
    expect(toPascalCase('łagodnie ślepy Łoś')).toBe('ŁagodnieŚlepyŁoś');
    expect(toPascalCase('_źle-ćwierć żółw')).toBe('ŹleĆwierćŻółw');
  });

  it('keeps diacritics, commas, apostrophes and soft hyphens in kebab-case', () => {
    expect(toKebabCase('ciemno, choć w pysk daj')).toBe('ciemno,-choć-w-pysk-daj');
    expect(toKebabCase("nun's pro\u00ADper Ćma")).toBe("nun's-pro\u00ADper-ćma");
  });

  it('throws on an unknown format', () => {
    // @ts-expect-error: the format union is closed, this simulates a value from outside the type system
    expect(() => formatPhrase('fast blue car', 'snake-case')).toThrow(RangeError);
  });
});
