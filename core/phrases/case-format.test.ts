import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languages } from '../catalogue/catalogue';
import { bundledVocabularyDirectory } from '../vocabularies/bundled-vocabularies';
import { parseWords } from '../vocabularies/words';
import {
  formatPhrase,
  kebabCaseByRegex,
  kebabCaseScan,
  pascalCaseByRegex,
  pascalCaseScan,
  toKebabCase,
  toPascalCase,
} from './case-format';

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

describe('single-scan case formats', () => {
  /** Every input whose two renderings differ, with both, so a failure shows the culprit. */
  function disagreements(texts: Iterable<string>) {
    const found: { text: string; kebab: [string, string]; pascal: [string, string] }[] = [];
    for (const text of texts) {
      const kebab: [string, string] = [toKebabCase(text), kebabCaseByRegex(text)];
      const pascal: [string, string] = [toPascalCase(text), pascalCaseByRegex(text)];
      if (kebab[0] !== kebab[1] || pascal[0] !== pascal[1]) found.push({ text, kebab, pascal });
    }
    return found;
  }

  const directory = bundledVocabularyDirectory();
  const bundledTexts = languages
    .flatMap(({ code }) =>
      readdirSync(join(directory, code), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.txt'))
        .map((file) => parseWords(readFileSync(join(directory, code, file), 'utf8'))),
    )
    .flatMap((words) => words.flatMap((word, index) => [word, `${word} ${words[(index + 1) % words.length]}`]));

  it('agree with the regex definitions for every bundled word, alone and joined to the next one as in a phrase', () => {
    expect(bundledTexts.length).toBeGreaterThan(40_000);
    expect(disagreements(bundledTexts)).toEqual([]);
  });

  it('scan, rather than fall back, for every bundled word whose capitals are ASCII', () => {
    const nonAsciiCapital = /(?![A-Z])\p{Lu}/u;
    const fellBack = bundledTexts.filter(
      (text) =>
        pascalCaseScan(text) === undefined || (!nonAsciiCapital.test(text) && kebabCaseScan(text) === undefined),
    );

    expect(fellBack).toEqual([]);
  });

  it.each([
    '',
    ' ',
    '-',
    '_',
    '  a',
    'a  b',
    'a- b',
    'a -b',
    '_-_a',
    'a_',
    'a-',
    '1a b',
    ' 1 -2',
    'A',
    'AB',
    'aB',
    '1A',
    'a1B',
    'ABCDef',
    'ABcDEf',
    'HTMLParser',
    'getHTTPResponse',
    'McDonald',
    'TEST_Adjective teST-123-nOUn',
    'ŁÓDŹ żabiKot żABcd Ćma',
    'zŁoty ŁÓdź',
    'ǅemal ǈ ǋ',
    'Ⅻ Ⓐbc ⓐ',
    'İstanbul ıi',
    'ΣΑΣ ΣΑΣ σας',
    'ὈΔΥΣΣΕΎΣ',
    'aΣ',
    'Σ\u0301a',
    'ß straße ẞ',
    'ŉ ﬀ ſ',
    'K kelvin',
    'a\tb\nc\rD',
    'a\u00a0b \u00a0B',
    'a\u2003b a\u3000B',
    '\ufeffA \u200bB \u180eC',
    'e\u0301A \u0345b',
    "nun's pro\u00adper Ćma",
    '٣A ١٢٣b',
    '𝐀𝐁c a 𝒜b',
    '😀 smile',
    '\ud800a b\udc00 \udc00\ud800',
  ])('agree with the regex definitions for the tricky %j', (text) => {
    expect(disagreements([text])).toEqual([]);
  });

  it('agree with the regex definitions for every BMP code unit between letters, digits and separators', () => {
    const contexts: ReadonlyArray<readonly [string, string]> = [
      ['', ''],
      ['a', 'B'],
      ['AB', 'c'],
      ['1', 'a'],
      [' ', '-'],
      ['x_', ' y'],
    ];
    const texts: string[] = [];
    for (let unit = 0; unit < 0x10000; unit += 1) {
      const char = String.fromCharCode(unit);
      for (const [before, after] of contexts) texts.push(before + char + after);
    }

    expect(disagreements(texts)).toEqual([]);
  });

  it('agree with the regex definitions for random strings over an alphabet of edge cases', () => {
    const alphabet = [
      ..."aAzZ09 -_\t\u00a0\u3000\ufeff\u200b.,'\u00adłŁżŻßŉǅǄⅠⓐⒶΣσςİıKΩ٣é\u0301",
      '𝐀',
      '😀',
      '\ud800',
      '\udc00',
    ];
    // A fixed-seed generator (mulberry32), so every run checks the same strings.
    let seed = 20_240_601;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const texts: string[] = [];
    for (let count = 0; count < 20_000; count += 1) {
      let text = '';
      const length = Math.floor(random() * 12);
      for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(random() * alphabet.length)];
      texts.push(text);
    }

    expect(disagreements(texts)).toEqual([]);
  });
});
