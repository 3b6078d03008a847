import { formatById, languageById, themeById } from '../catalogue/catalogue';
import { CodedError } from '../errors/coded-error';
import { VocabularyErrors } from '../vocabularies/vocabulary-errors';
import type {
  GrammaticalGender,
  GrammaticalNumber,
  LanguageCode,
  Offensiveness,
  PartOfSpeech,
  Vocabulary,
  VocabularyDescriptor,
  VocabularyTheme,
} from '../vocabularies/vocabulary';
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
  /** With `peek`, a phrase whose lists are all cached is generated without waiting on `get`. */
  readonly vocabularies: Pick<VocabularyRepository, 'get'> & Partial<Pick<VocabularyRepository, 'peek'>>;
  /** Uniform in [0, 1); injected so tests are deterministic. `Math.random` by default (phrases are not secrets). */
  readonly random?: Random;
  /** Replaceable for tests of the validation path. */
  readonly format?: (text: string, format: FormatName) => string;
}

export const MAX_EXTRA_WORDS = 4;
const DISTINCT_PICK_ATTEMPTS = 3;

/** A list per offensiveness: `[non-offensive, offensive]`. */
type ByOffensiveness = readonly [VocabularyDescriptor, VocabularyDescriptor];

/** Every list one draw of language, theme, number and gender can take its words from. */
interface Lists {
  readonly adverb: ByOffensiveness;
  readonly adjective: ByOffensiveness;
  readonly noun: ByOffensiveness;
}

type ListsByGender = Map<GrammaticalGender, Lists>;
type ListsByNumber = Map<GrammaticalNumber, ListsByGender>;
type ListsByTheme = Map<VocabularyTheme, ListsByNumber>;

/**
 * The descriptors, built once per combination (a few dozen exist) rather than spread anew for every phrase. They are
 * frozen, so shared instances are safe and the repository can reuse each one's path string.
 */
const listsByLanguage = new Map<LanguageCode, ListsByTheme>();

function descriptor(
  language: LanguageCode,
  offensiveness: Offensiveness,
  number: GrammaticalNumber,
  gender: GrammaticalGender,
  theme: VocabularyTheme,
  partOfSpeech: PartOfSpeech,
): VocabularyDescriptor {
  return Object.freeze({ language, number, gender, theme, offensiveness, partOfSpeech });
}

function buildLists(
  language: LanguageCode,
  theme: VocabularyTheme,
  number: GrammaticalNumber,
  gender: GrammaticalGender,
): Lists {
  const both = (build: (offensiveness: Offensiveness) => VocabularyDescriptor): ByOffensiveness =>
    Object.freeze([build('non-offensive'), build('offensive')] as const);
  // Adverbs never agree and only nouns carry the theme, as offnd.at lays its lists out.
  return Object.freeze({
    adverb: both((level) => descriptor(language, level, 'none', 'none', 'none', 'adverb')),
    adjective: both((level) => descriptor(language, level, number, gender, 'none', 'adjective')),
    noun: both((level) => descriptor(language, level, number, gender, theme, 'noun')),
  });
}

function listsFor(
  language: LanguageCode,
  theme: VocabularyTheme,
  number: GrammaticalNumber,
  gender: GrammaticalGender,
): Lists {
  let byTheme = listsByLanguage.get(language);
  if (byTheme === undefined) listsByLanguage.set(language, (byTheme = new Map<VocabularyTheme, ListsByNumber>()));
  let byNumber = byTheme.get(theme);
  if (byNumber === undefined) byTheme.set(theme, (byNumber = new Map<GrammaticalNumber, ListsByGender>()));
  let byGender = byNumber.get(number);
  if (byGender === undefined) byNumber.set(number, (byGender = new Map<GrammaticalGender, Lists>()));
  let lists = byGender.get(gender);
  if (lists === undefined) byGender.set(gender, (lists = buildLists(language, theme, number, gender)));
  return lists;
}

/** The words in phrase order, joined by single spaces, keeping the first `kept` extras. */
function joinWords(adverb: string, adjective: string, extras: readonly string[], kept: number, noun: string): string {
  const middle = kept > 0 ? ' ' + extras.slice(0, kept).join(' ') : '';
  return adverb + ' ' + adjective + middle + ' ' + noun;
}

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

  /** The cached answer when there is a fresh one (`null`: cached as missing), `undefined` when only `get` knows. */
  function peek(descriptor: VocabularyDescriptor): Vocabulary | null | undefined {
    return vocabularies.peek ? vocabularies.peek(descriptor) : undefined;
  }

  /**
   * What `load` would settle to, for a list that may already have been peeked: the lookup was then reported, so
   * `get` is not asked again, and a list cached as missing fails as `load` fails.
   */
  function settle(
    descriptor: VocabularyDescriptor,
    peeked: Vocabulary | null | undefined,
  ): Vocabulary | Promise<Vocabulary> {
    if (peeked) return peeked;
    if (peeked === null) return Promise.reject(new CodedError(VocabularyErrors.notFound));
    return load(descriptor);
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
      const lists = listsFor(language.code, theme.name, number, gender);
      const adverbList = lists.adverb[offensive.adverb ? 1 : 0];
      const adjectiveList = lists.adjective[offensive.adjective ? 1 : 0];
      const nounList = lists.noun[offensive.noun ? 1 : 0];
      const extraList = extraCount > 0 ? lists.adjective[0] : undefined;

      // Lists are almost always cached: taking them synchronously spares a promise per lookup and the ticks to await it.
      const adverbsCached = peek(adverbList);
      const adjectivesCached = peek(adjectiveList);
      const nounsCached = peek(nounList);
      const extrasCached = extraList ? peek(extraList) : undefined;
      let adverbs: Vocabulary;
      let adjectives: Vocabulary;
      let nouns: Vocabulary;
      let extraAdjectives: Vocabulary | undefined;
      if (adverbsCached && adjectivesCached && nounsCached && (!extraList || extrasCached)) {
        adverbs = adverbsCached;
        adjectives = adjectivesCached;
        nouns = nounsCached;
        extraAdjectives = extrasCached ?? undefined;
      } else {
        [adverbs, adjectives, nouns, extraAdjectives] = await Promise.all([
          settle(adverbList, adverbsCached),
          settle(adjectiveList, adjectivesCached),
          settle(nounList, nounsCached),
          extraList ? settle(extraList, extrasCached) : undefined,
        ]);
      }

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
        phrase = format(joinWords(adverb, adjective, extras, kept, noun), formatEntry.name);
        if (phrase.length <= MAX_PHRASE_LENGTH) break;
      }
      return assertValidPhrase(phrase);
    },
  };
}
