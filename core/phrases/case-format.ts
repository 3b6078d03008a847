import type { Format } from '../catalogue/catalogue';

export type FormatName = Format['name'];

/**
 * Humanizer 3.0.1's `Kebaberize`, step for step, so kebab-case phrases are byte-identical to offnd.at's.
 * Diacritics, commas, apostrophes and soft hyphens pass through unchanged.
 */
export function toKebabCase(text: string): string {
  return text
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1_$2')
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1_$2')
    .replace(/[-\s]/gu, '_')
    .toLowerCase()
    .replace(/_/g, '-');
}

/**
 * Humanizer's `Pascalize`, made Unicode-aware on purpose: upstream only matches `[a-zA-Z]`, which leaves a space
 * before words starting with a non-ASCII letter (`Szybko żabiKot`); here every letter is capitalised
 * (`SzybkoŻabiKot`). Separators before digits or punctuation are kept, as upstream does.
 */
export function toPascalCase(text: string): string {
  return text.replace(/(?:[ _-]+|^)(\p{L})/gu, (_match, letter: string) => letter.toUpperCase());
}

export function formatPhrase(text: string, format: FormatName): string {
  switch (format) {
    case 'kebab-case':
      return toKebabCase(text);
    case 'pascal-case':
      return toPascalCase(text);
    default:
      throw new RangeError(`Unknown phrase format: ${String(format)}`);
  }
}
