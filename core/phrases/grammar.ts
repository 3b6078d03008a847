import type { GrammaticalGender, GrammaticalNumber, LanguageCode, VocabularyTheme } from '../vocabularies/vocabulary';

export type Random = () => number;

export interface Grammar {
  readonly number: GrammaticalNumber;
  readonly gender: GrammaticalGender;
}

export interface OffensivenessDraw {
  readonly noun: boolean;
  readonly adjective: boolean;
  readonly adverb: boolean;
}

/** Uniform choice; `random()` is in [0, 1). */
export function pick<T>(items: readonly T[], random: Random): T {
  const item = items[Math.min(items.length - 1, Math.floor(random() * items.length))];
  if (item === undefined) throw new RangeError('Cannot pick from an empty list');
  return item;
}

/**
 * Exactly one of the three words is offensive. Themed nouns are never offensive, so with a theme the draw is
 * between adjective and adverb. Mirrors upstream: `random()` is only consumed when the branch is reachable.
 */
export function drawOffensiveness(theme: VocabularyTheme, random: Random): OffensivenessDraw {
  const noun = theme === 'none' && random() >= 0.5;
  const adjective = !noun && random() >= 0.5;
  return { noun, adjective, adverb: !noun && !adjective };
}

/**
 * The noun's number and gender; the adjective is then taken from the list with the same values, which is how
 * Polish agreement is achieved. English lists carry neither.
 */
export function drawGrammar(language: LanguageCode, theme: VocabularyTheme, random: Random): Grammar {
  if (language !== 'pl') return { number: 'none', gender: 'none' };
  if (theme === 'politicians') return { number: 'singular', gender: pick(['masculine', 'feminine'] as const, random) };
  const number = pick(['singular', 'plural'] as const, random);
  const gender =
    number === 'singular'
      ? pick(['masculine', 'feminine', 'neuter'] as const, random)
      : pick(['masculine-personal', 'non-masculine-personal'] as const, random);
  return { number, gender };
}
