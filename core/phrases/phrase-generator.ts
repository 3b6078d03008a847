import { formatById, languageById, themeById } from '../catalogue/catalogue';
import { CodedError } from '../errors/coded-error';
import { VocabularyErrors } from '../vocabularies/vocabulary-errors';
import type { Offensiveness, Vocabulary, VocabularyDescriptor } from '../vocabularies/vocabulary';
import type { VocabularyRepository } from '../vocabularies/vocabulary-repository';
import { formatPhrase, type FormatName } from './case-format';
import { drawGrammar, drawOffensiveness, pick, type Random } from './grammar';
import { assertValidPhrase, MAX_PHRASE_LENGTH } from './phrase';
import { CatalogueErrors } from '../catalogue/catalogue-errors';

export interface GeneratePhraseInput {
  readonly languageId: number;
  readonly themeId: number;
  readonly formatId: number;
  /**
   * Extra non-offensive adjectives (agreeing with the noun) placed before it, for when collisions exhausted the
   * retry budget: each one multiplies the phrase space by the adjective list's size. Capped at `MAX_EXTRA_WORDS`;
   * extras that would push the phrase past 256 characters are dropped.
   */
  readonly extraWords?: number;
}

export interface PhraseGenerator {
  /** Resolves to a valid phrase; rejects with `CodedError` (`Vocabulary.NotFound`, `Phrase.*`, `*.NotFound`). */
  generate(input: GeneratePhraseInput): Promise<string>;
}

export interface PhraseGeneratorOptions {
  readonly vocabularies: Pick<VocabularyRepository, 'get'>;
  /** Uniform in [0, 1); injected so tests are deterministic. `Math.random` by default (phrases are not secrets). */
  readonly random?: Random;
  /** Replaceable for tests of the validation path. */
  readonly format?: (text: string, format: FormatName) => string;
}

export const MAX_EXTRA_WORDS = 4;
const DISTINCT_PICK_ATTEMPTS = 3;

/** offnd.at's algorithm: adverb, adjective, noun, with exactly one offensive word and Polish agreement. */
export function createPhraseGenerator(options: PhraseGeneratorOptions): PhraseGenerator {
  const { vocabularies } = options;
  const random = options.random ?? Math.random;
  const format = options.format ?? formatPhrase;

  async function load(descriptor: VocabularyDescriptor): Promise<Vocabulary> {
    const vocabulary = await vocabularies.get(descriptor);
    if (!vocabulary) throw new CodedError(VocabularyErrors.notFound);
    return vocabulary;
  }

  /** A word not already used, when the list allows it, so a longer phrase never reads "big big cat". */
  function pickDistinct(words: readonly string[], used: readonly string[]): string {
    let word = pick(words, random);
    for (let attempt = 1; attempt < DISTINCT_PICK_ATTEMPTS && used.includes(word); attempt += 1) {
      word = pick(words, random);
    }
    return word;
  }

  return {
    async generate(input) {
      const language = languageById(input.languageId);
      if (!language) throw new CodedError(CatalogueErrors.languageNotFound);
      const theme = themeById(input.themeId);
      if (!theme) throw new CodedError(CatalogueErrors.themeNotFound);
      const formatEntry = formatById(input.formatId);
      if (!formatEntry) throw new CodedError(CatalogueErrors.formatNotFound);
      const extraCount = Math.max(0, Math.min(MAX_EXTRA_WORDS, Math.floor(input.extraWords ?? 0)));

      const offensive = drawOffensiveness(theme.name, random);
      const { number, gender } = drawGrammar(language.code, theme.name, random);
      const base = { language: language.code, number: 'none', gender: 'none', theme: 'none' } as const;
      const level = (isOffensive: boolean): Offensiveness => (isOffensive ? 'offensive' : 'non-offensive');

      const [adverbs, adjectives, nouns, extraAdjectives] = await Promise.all([
        load({ ...base, offensiveness: level(offensive.adverb), partOfSpeech: 'adverb' }),
        load({ ...base, offensiveness: level(offensive.adjective), number, gender, partOfSpeech: 'adjective' }),
        load({
          ...base,
          offensiveness: level(offensive.noun),
          number,
          gender,
          theme: theme.name,
          partOfSpeech: 'noun',
        }),
        extraCount > 0
          ? load({ ...base, offensiveness: 'non-offensive', number, gender, partOfSpeech: 'adjective' })
          : undefined,
      ]);

      const adverb = pick(adverbs.words, random);
      const adjective = pick(adjectives.words, random);
      const noun = pick(nouns.words, random);
      const extras: string[] = [];
      for (let index = 0; index < extraCount && extraAdjectives; index += 1) {
        extras.push(pickDistinct(extraAdjectives.words, [adjective, ...extras]));
      }

      // Extras are a bonus: drop them from the end rather than fail when long entries overflow the limit.
      let phrase = '';
      for (let kept = extras.length; kept >= 0; kept -= 1) {
        phrase = format([adverb, adjective, ...extras.slice(0, kept), noun].join(' '), formatEntry.name);
        if (phrase.length <= MAX_PHRASE_LENGTH) break;
      }
      return assertValidPhrase(phrase);
    },
  };
}
