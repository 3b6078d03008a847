import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formats, languages, themes } from '../catalogue/catalogue';
import { bundledVocabularyDirectory } from '../vocabularies/bundled-vocabularies';
import { createVocabularySource } from '../vocabularies/create-vocabulary-source';
import { vocabularyPath } from '../vocabularies/vocabulary';
import { createVocabularyRepository } from '../vocabularies/vocabulary-repository';
import { createPhraseGenerator } from './phrase-generator';
import { requestableVocabularies } from './requestable-vocabularies';

const directory = bundledVocabularyDirectory();
const read = (path: string) => readFileSync(join(directory, path), 'utf8');

describe('bundled vocabularies', () => {
  // The lists live under one folder per language; `sources/` beside them holds what they are built from.
  const files = languages.flatMap(({ code }) =>
    readdirSync(join(directory, code), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.txt'))
      .map((file) => `${code}/${file}`),
  );

  it('hold exactly the lists the generator can request', () => {
    expect(files.sort()).toEqual(requestableVocabularies().map(vocabularyPath).sort());
  });

  it.each(files)('%s is clean: LF only, no blank, duplicate, padded or over-long entry', (file) => {
    const text = read(file);
    const entries = text.replace(/\n$/, '').split('\n');

    expect(text).not.toContain('\r');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((entry) => entry.trim() === '' || entry !== entry.trim() || entry.length > 256)).toEqual([]);
    expect(new Set(entries).size).toBe(entries.length);
  });

  it('have thousands of general English words and hundreds of themed ones', () => {
    const count = (path: string) => read(path).trim().split('\n').length;

    expect(count('en/non-offensive/none/none/none/adverbs.txt')).toBeGreaterThan(2000);
    expect(count('en/non-offensive/none/none/none/adjectives.txt')).toBeGreaterThan(4000);
    expect(count('en/non-offensive/none/none/none/nouns.txt')).toBeGreaterThan(8000);
    expect(count('en/non-offensive/none/none/proper-names/nouns.txt')).toBeGreaterThan(400);
    expect(count('en/non-offensive/none/none/politicians/nouns.txt')).toBeGreaterThan(200);
  });

  it('inflect every Polish adjective into all five agreement lists', () => {
    const lines = (offensiveness: string, agreement: string) =>
      read(`pl/${offensiveness}/${agreement}/none/adjectives.txt`).trim().split('\n');

    for (const offensiveness of ['offensive', 'non-offensive']) {
      const masculine = lines(offensiveness, 'singular/masculine');
      for (const agreement of ['singular/feminine', 'singular/neuter', 'plural/masculine-personal']) {
        expect(lines(offensiveness, agreement)).toHaveLength(masculine.length);
      }
    }
    expect(lines('non-offensive', 'singular/feminine')).toContain('szybka');
    expect(lines('non-offensive', 'singular/neuter')).toContain('szybkie');
    expect(lines('non-offensive', 'plural/masculine-personal')).toEqual(
      expect.arrayContaining(['szybcy', 'weseli', 'młodzi']),
    );
  });

  const combinations = languages.flatMap((language) =>
    themes.flatMap((theme) =>
      formats.map((format) => [language.name, theme.name, format.name, language, theme, format] as const),
    ),
  );

  it.each(combinations)('generate valid phrases for %s / %s / %s', async (_l, _t, _f, language, theme, format) => {
    const generator = createPhraseGenerator({
      vocabularies: createVocabularyRepository({
        source: createVocabularySource('bundled'),
        ttlMs: 3_600_000,
        negativeTtlMs: 60_000,
      }),
    });
    const input = { languageId: language.value, themeId: theme.value, formatId: format.value };

    for (let index = 0; index < 100; index += 1) {
      const phrase = await generator.generate({ ...input, extraWords: index % 2 });
      expect(phrase.length).toBeGreaterThan(0);
      expect(phrase.length).toBeLessThanOrEqual(256);
      if (format.name === 'kebab-case') expect(phrase).not.toMatch(/[\s_A-Z]/);
      if (format.name === 'pascal-case') expect(phrase).toMatch(/^\p{Lu}/u);
    }
  });
});
