import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { formats, languages, themes } from '../catalogue/catalogue';
import { createVocabularySource } from '../vocabularies/create-vocabulary-source';
import { vocabularyPath } from '../vocabularies/vocabulary';
import { createVocabularyRepository } from '../vocabularies/vocabulary-repository';
import { createPhraseGenerator } from './phrase-generator';
import { requestableVocabularies } from './requestable-vocabularies';

// The upstream lists live in `shared/` beside the repository root (never inside it: they carry no licence).
const UPSTREAM = resolve(__dirname, '../../../shared/vocabularies-offndat');
const available = existsSync(UPSTREAM);
const describeUpstream = available ? describe : describe.skip;
if (!available) {
  console.warn(`Skipping upstream vocabulary compatibility tests: ${UPSTREAM} does not exist`);
}

describeUpstream('compatibility with the upstream vocabularies (directory source)', () => {
  const repository = createVocabularyRepository({
    source: createVocabularySource(UPSTREAM),
    ttlMs: 3_600_000,
    negativeTtlMs: 60_000,
  });

  it('holds exactly the lists the generator can request, each non-empty', async () => {
    const descriptors = requestableVocabularies();
    const files = readdirSync(UPSTREAM, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.txt'));
    const empty: string[] = [];
    for (const descriptor of descriptors) {
      if (!(await repository.get(descriptor))) empty.push(vocabularyPath(descriptor));
    }

    expect(descriptors.map(vocabularyPath).sort()).toEqual(files.sort());
    expect(empty).toEqual([]);
  });

  const combinations = languages.flatMap((language) =>
    themes.flatMap((theme) =>
      formats.map((format) => [language.name, theme.name, format.name, language, theme, format] as const),
    ),
  );

  it.each(combinations)('generates valid phrases for %s / %s / %s', async (_l, _t, _f, language, theme, format) => {
    const generator = createPhraseGenerator({ vocabularies: repository });
    const input = { languageId: language.value, themeId: theme.value, formatId: format.value };

    for (let index = 0; index < 50; index += 1) {
      const phrase = await generator.generate({ ...input, extraWords: index % 3 });
      expect(phrase.trim()).not.toBe('');
      expect(phrase.length).toBeLessThanOrEqual(256);
      if (format.name === 'kebab-case') expect(phrase).not.toMatch(/[\s_]/);
      if (format.name === 'pascal-case') expect(phrase).not.toMatch(/ \p{L}/u);
    }
  });
});
