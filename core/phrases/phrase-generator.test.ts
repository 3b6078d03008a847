import { CodedError } from '../errors/coded-error';
import { createVocabularySource } from '../vocabularies/create-vocabulary-source';
import { vocabularyPath, type Vocabulary, type VocabularyDescriptor } from '../vocabularies/vocabulary';
import { createVocabularyRepository, type VocabularyLookupResult } from '../vocabularies/vocabulary-repository';
import { createPhraseGenerator, type GeneratePhraseInput } from './phrase-generator';
import { requestableVocabularies } from './requestable-vocabularies';

/** An in-memory repository whose lists are named after their path, so tests can see which list each word came from. */
function fakeVocabularies(overrides: Record<string, string[] | undefined> = {}) {
  const requested: string[] = [];
  return {
    requested,
    get(descriptor: VocabularyDescriptor) {
      const path = vocabularyPath(descriptor);
      requested.push(path);
      const words = path in overrides ? overrides[path] : [`${descriptor.partOfSpeech}@${path}`];
      return Promise.resolve(words && words.length > 0 ? { path, words } : undefined);
    },
  };
}

/**
 * `fakeVocabularies` plus `peek`: lists in `cached` answer synchronously (`null` when they are listed as missing),
 * the rest only through `get`. `calls` records both kinds in order.
 */
function peekableVocabularies(overrides: Record<string, string[] | undefined>, cached: (path: string) => boolean) {
  const calls: string[] = [];
  const lists = fakeVocabularies(overrides);
  return {
    calls,
    get(descriptor: VocabularyDescriptor) {
      calls.push(`get ${vocabularyPath(descriptor)}`);
      return lists.get(descriptor);
    },
    peek(descriptor: VocabularyDescriptor): Vocabulary | null | undefined {
      const path = vocabularyPath(descriptor);
      calls.push(`peek ${path}`);
      if (!cached(path)) return undefined;
      const words = path in overrides ? overrides[path] : [`${descriptor.partOfSpeech}@${path}`];
      return words && words.length > 0 ? { path, words } : null;
    },
  };
}

function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a CodedError');
}

const identity = (text: string) => text;

describe('createPhraseGenerator', () => {
  it('builds adverb, adjective, noun with exactly one offensive word (English, noun drawn offensive)', async () => {
    const vocabularies = fakeVocabularies();
    const generator = createPhraseGenerator({ vocabularies, random: sequence(0.9), format: identity });

    const phrase = await generator.generate({ languageId: 0, themeId: 0, formatId: 0 });

    expect(phrase).toBe(
      'adverb@en/non-offensive/none/none/none/adverbs.txt adjective@en/non-offensive/none/none/none/adjectives.txt noun@en/offensive/none/none/none/nouns.txt',
    );
  });

  it('takes the Polish adjective from the list agreeing with the noun and always theme none', async () => {
    const vocabularies = fakeVocabularies();
    // adjective offensive (0.9), plural (0.6), masculine-personal (0.2) for a proper-names noun.
    const generator = createPhraseGenerator({ vocabularies, random: sequence(0.9, 0.6, 0.2, 0), format: identity });

    await generator.generate({ languageId: 1, themeId: 1, formatId: 1 });

    expect(vocabularies.requested.sort()).toEqual([
      'pl/non-offensive/none/none/none/adverbs.txt',
      'pl/non-offensive/plural/masculine-personal/proper-names/nouns.txt',
      'pl/offensive/plural/masculine-personal/none/adjectives.txt',
    ]);
  });

  it('formats with the requested format', async () => {
    const vocabularies = fakeVocabularies({
      'en/offensive/none/none/none/adverbs.txt': ['very fast'],
      'en/non-offensive/none/none/none/adjectives.txt': ['brightly-colored'],
      'en/non-offensive/none/none/politicians/nouns.txt': ['McDonald'],
    });
    const generator = createPhraseGenerator({ vocabularies, random: sequence(0.1) });

    await expect(generator.generate({ languageId: 0, themeId: 2, formatId: 0 })).resolves.toBe(
      'very-fast-brightly-colored-mc-donald',
    );
    await expect(generator.generate({ languageId: 0, themeId: 2, formatId: 1 })).resolves.toBe(
      'VeryFastBrightlyColoredMcDonald',
    );
  });

  it.each(['adverbs', 'adjectives', 'nouns'])(
    'fails with Vocabulary.NotFound when the %s list is missing',
    async (file) => {
      const path = `en/non-offensive/none/none/none/${file}.txt`;
      const offensive = `en/offensive/none/none/none/${file}.txt`;
      const generator = createPhraseGenerator({
        vocabularies: fakeVocabularies({ [path]: undefined, [offensive]: [] }),
        random: sequence(0.1, 0.9),
      });

      expect(await codeOf(generator.generate({ languageId: 0, themeId: 0, formatId: 0 }))).toBe('Vocabulary.NotFound');
    },
  );

  it('fails with Phrase.NullOrEmpty when the format produces nothing', async () => {
    const generator = createPhraseGenerator({ vocabularies: fakeVocabularies(), format: () => ' ' });

    expect(await codeOf(generator.generate({ languageId: 0, themeId: 0, formatId: 0 }))).toBe('Phrase.NullOrEmpty');
  });

  it('fails with Phrase.LongerThanAllowed when three words exceed 256 characters', async () => {
    const long = 'x'.repeat(100);
    const vocabularies = fakeVocabularies(
      Object.fromEntries(requestableVocabularies().map((d) => [vocabularyPath(d), [long]])),
    );
    const generator = createPhraseGenerator({ vocabularies });

    expect(await codeOf(generator.generate({ languageId: 0, themeId: 0, formatId: 0 }))).toBe(
      'Phrase.LongerThanAllowed',
    );
  });

  it.each([
    [{ languageId: 2, themeId: 0, formatId: 0 }, 'Language.NotFound'],
    [{ languageId: 0, themeId: -1, formatId: 0 }, 'Theme.NotFound'],
    [{ languageId: 0, themeId: 0, formatId: 7 }, 'Format.NotFound'],
  ])('rejects ids outside the catalogue: %j', async (input, code) => {
    const generator = createPhraseGenerator({ vocabularies: fakeVocabularies() });

    expect(await codeOf(generator.generate(input))).toBe(code);
  });

  describe('extraWords', () => {
    const lists = {
      'pl/non-offensive/none/none/none/adverbs.txt': ['szybko'],
      'pl/offensive/singular/feminine/none/adjectives.txt': ['wredna'],
      'pl/non-offensive/singular/feminine/none/adjectives.txt': ['zielona', 'wesoła', 'mała'],
      'pl/non-offensive/singular/feminine/none/nouns.txt': ['żaba'],
    };

    it('adds distinct non-offensive agreeing adjectives before the noun', async () => {
      // adjective offensive (0.4 then 0.9), singular (0.1), feminine (0.5), then word picks.
      const generator = createPhraseGenerator({
        vocabularies: fakeVocabularies(lists),
        random: sequence(0.4, 0.9, 0.1, 0.5, 0, 0, 0, 0, 0, 0.4, 0.9),
      });

      const phrase = await generator.generate({ languageId: 1, themeId: 0, formatId: 0, extraWords: 2 });

      expect(phrase).toBe('szybko-wredna-zielona-wesoła-żaba');
    });

    it('renders PascalCase with the extra words capitalised', async () => {
      const generator = createPhraseGenerator({
        vocabularies: fakeVocabularies(lists),
        random: sequence(0.4, 0.9, 0.1, 0.5, 0, 0, 0, 0.9),
      });

      await expect(generator.generate({ languageId: 1, themeId: 0, formatId: 1, extraWords: 1 })).resolves.toBe(
        'SzybkoWrednaMałaŻaba',
      );
    });

    it('drops extras that would exceed 256 characters instead of failing', async () => {
      const vocabularies = fakeVocabularies({
        'en/non-offensive/none/none/none/adverbs.txt': ['a'.repeat(80)],
        'en/offensive/none/none/none/adjectives.txt': ['b'.repeat(80)],
        'en/non-offensive/none/none/none/adjectives.txt': ['c'.repeat(80)],
        'en/non-offensive/none/none/proper-names/nouns.txt': ['d'.repeat(80)],
      });
      const generator = createPhraseGenerator({ vocabularies, random: sequence(0.9) });

      const phrase = await generator.generate({ languageId: 0, themeId: 1, formatId: 0, extraWords: 3 });

      expect(phrase.split('-')).toHaveLength(3);
    });

    it('keeps the phrase within 256 characters', async () => {
      const generator = createPhraseGenerator({ vocabularies: fakeVocabularies(), random: sequence(0.3, 0.7) });

      const phrase = await generator.generate({ languageId: 1, themeId: 0, formatId: 0, extraWords: 4 });

      expect(phrase.length).toBeLessThanOrEqual(256);
    });
  });

  describe('with a repository that can peek', () => {
    const inputs: GeneratePhraseInput[] = [0, 1].flatMap((languageId) =>
      [0, 1, 2].flatMap((themeId) =>
        [0, 1].flatMap((formatId) => [0, 2].map((extraWords) => ({ languageId, themeId, formatId, extraWords }))),
      ),
    );

    it('takes cached lists without get and yields the phrases get would', async () => {
      const values = [0.9, 0.1, 0.6, 0.2, 0.4, 0.75, 0.3, 0.05, 0.5];
      const throughGet = createPhraseGenerator({ vocabularies: fakeVocabularies(), random: sequence(...values) });
      const peekable = peekableVocabularies({}, () => true);
      const throughPeek = createPhraseGenerator({ vocabularies: peekable, random: sequence(...values) });

      for (const input of inputs) {
        expect(await throughPeek.generate(input)).toBe(await throughGet.generate(input));
      }
      expect(peekable.calls.filter((call) => call.startsWith('get'))).toEqual([]);
    });

    it('asks get only for the lists that are not cached, once each', async () => {
      const adjectives = 'en/non-offensive/none/none/none/adjectives.txt';
      const vocabularies = peekableVocabularies({}, (path) => path !== adjectives);
      const generator = createPhraseGenerator({ vocabularies, random: sequence(0.9), format: identity });

      const phrase = await generator.generate({ languageId: 0, themeId: 0, formatId: 0 });

      expect(phrase).toBe(
        'adverb@en/non-offensive/none/none/none/adverbs.txt adjective@en/non-offensive/none/none/none/adjectives.txt noun@en/offensive/none/none/none/nouns.txt',
      );
      expect(vocabularies.calls).toEqual([
        'peek en/non-offensive/none/none/none/adverbs.txt',
        `peek ${adjectives}`,
        'peek en/offensive/none/none/none/nouns.txt',
        `get ${adjectives}`,
      ]);
    });

    it('fails with Vocabulary.NotFound for a list cached as missing, still loading the uncached ones', async () => {
      const adverbs = 'en/non-offensive/none/none/none/adverbs.txt';
      const nouns = 'en/offensive/none/none/none/nouns.txt';
      const vocabularies = peekableVocabularies({ [adverbs]: undefined }, (path) => path !== nouns);
      const generator = createPhraseGenerator({ vocabularies, random: sequence(0.9) });

      expect(await codeOf(generator.generate({ languageId: 0, themeId: 0, formatId: 0 }))).toBe('Vocabulary.NotFound');
      expect(vocabularies.calls.filter((call) => call.startsWith('get'))).toEqual([`get ${nouns}`]);
    });

    it("rejects with get's error when an uncached list cannot be loaded", async () => {
      const failure = new Error('source unreachable');
      const generator = createPhraseGenerator({
        vocabularies: {
          get: () => Promise.reject(failure),
          peek: (descriptor) => (descriptor.partOfSpeech === 'noun' ? undefined : { path: 'x', words: ['x'] }),
        },
      });

      await expect(generator.generate({ languageId: 0, themeId: 0, formatId: 0 })).rejects.toBe(failure);
    });

    it('reports each lookup of the real repository once, whether the lists were cached or not', async () => {
      const lookups: VocabularyLookupResult[] = [];
      const repository = createVocabularyRepository({
        source: createVocabularySource('bundled'),
        ttlMs: 3_600_000,
        negativeTtlMs: 60_000,
        onLookup: (result) => lookups.push(result),
      });
      const input = { languageId: 1, themeId: 0, formatId: 1, extraWords: 1 };
      // A constant draw, so both phrases come from the same four lists.
      const generator = createPhraseGenerator({ vocabularies: repository, random: () => 0.7 });

      await generator.generate(input);
      expect(lookups).toEqual(['miss', 'miss', 'miss', 'miss']);
      lookups.length = 0;
      await generator.generate(input);
      expect(lookups).toEqual(['hit', 'hit', 'hit', 'hit']);
    });

    it('yields the phrases get would from the real repository, cold or warm', async () => {
      const repository = createVocabularyRepository({
        source: createVocabularySource('bundled'),
        ttlMs: 3_600_000,
        negativeTtlMs: 60_000,
      });
      const values = [0.9, 0.3, 0.6, 0.1, 0.45, 0.8, 0.2];
      const throughGet = createPhraseGenerator({
        vocabularies: { get: (descriptor) => repository.get(descriptor) },
        random: sequence(...values),
      });
      const throughPeek = createPhraseGenerator({ vocabularies: repository, random: sequence(...values) });

      for (const input of [...inputs, ...inputs]) {
        expect(await throughPeek.generate(input)).toBe(await throughGet.generate(input));
      }
    });
  });
});
