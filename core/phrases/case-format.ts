import type { Format } from '../catalogue/catalogue';

export type FormatName = Format['name'];

/**
 * Humanizer 3.0.1's `Kebaberize`, step for step, so kebab-case phrases are byte-identical to offnd.at's.
 * Diacritics, commas, apostrophes and soft hyphens pass through unchanged.
 *
 * This is the definition; `toKebabCase` computes the same result in one pass for the text it can.
 */
export function kebabCaseByRegex(text: string): string {
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
 *
 * This is the definition; `toPascalCase` computes the same result in one pass for the text it can.
 */
export function pascalCaseByRegex(text: string): string {
  return text.replace(/(?:[ _-]+|^)(\p{L})/gu, (_match, letter: string) => letter.toUpperCase());
}

// What the definitions' regexes and case mapping say about one UTF-16 unit, learnt the first time it is seen.
const SEEN = 1;
const UPPERCASE = 2; // \p{Lu}
const LOWERCASE = 4; // \p{Ll}
const DIGIT = 8; // \p{Nd}
const LETTER = 16; // \p{L}
const WHITESPACE = 32; // \s
const LOWERCASE_STABLE = 64; // toLowerCase() leaves it as it is
const traitTable = new Uint8Array(0x10000);

function traits(unit: number): number {
  const known = traitTable[unit] ?? 0;
  if (known !== 0) return known;
  const char = String.fromCharCode(unit);
  const learnt =
    SEEN |
    (/\p{Lu}/u.test(char) ? UPPERCASE : 0) |
    (/\p{Ll}/u.test(char) ? LOWERCASE : 0) |
    (/\p{Nd}/u.test(char) ? DIGIT : 0) |
    (/\p{L}/u.test(char) ? LETTER : 0) |
    (/\s/u.test(char) ? WHITESPACE : 0) |
    (char.toLowerCase() === char ? LOWERCASE_STABLE : 0);
  traitTable[unit] = learnt;
  return learnt;
}

const SPACE = 0x20;
const HYPHEN = 0x2d;
const UNDERSCORE = 0x5f;

/** Astral code points (letters among them) are matched as pairs by the `u` regexes; those go the regex way. */
function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/**
 * `kebabCaseByRegex` as one scan, or `undefined` for text holding a non-ASCII uppercase letter, a character that
 * lowercasing changes without being uppercase (titlecase digraphs, Roman numerals, circled letters) or an astral
 * character. With those excluded, lowercasing maps each unit alone (its one contextual rule, Greek final sigma, needs
 * Σ), and each regex step is a rule about a unit and its neighbours in the original text:
 * - step 1 puts `_` before the last of two or more capitals that a lowercase letter follows;
 * - step 2 puts `_` between a lowercase letter or digit and a capital (step 1 only splits capital from capital, so
 *   it neither creates nor breaks such a pair);
 * - steps 3 to 5 turn `-`, `_` and whitespace into `-` and lowercase the rest.
 */
export function kebabCaseScan(text: string): string | undefined {
  let out = '';
  let from = 0;
  let previous = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (isSurrogate(unit)) return undefined;
    const current = traits(unit);
    if (unit === HYPHEN || unit === UNDERSCORE || (current & WHITESPACE) !== 0) {
      out += text.slice(from, index) + '-';
      from = index + 1;
    } else if ((current & UPPERCASE) !== 0) {
      if (unit > 0x7f) return undefined;
      const next = index + 1 < text.length ? traits(text.charCodeAt(index + 1)) : 0;
      const split =
        (previous & (LOWERCASE | DIGIT)) !== 0 || ((previous & UPPERCASE) !== 0 && (next & LOWERCASE) !== 0);
      out += text.slice(from, index) + (split ? '-' : '') + String.fromCharCode(unit + 0x20);
      from = index + 1;
    } else if ((current & LOWERCASE_STABLE) === 0) {
      return undefined;
    }
    previous = current;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * `pascalCaseByRegex` as one scan, or `undefined` for text holding an astral character. The regex removes each
 * maximal run of ` `, `_` and `-` that a letter follows and uppercases that letter, and uppercases a letter that
 * starts the text; runs followed by anything else, or by nothing, stay.
 */
export function pascalCaseScan(text: string): string | undefined {
  let out = '';
  let from = 0;
  let run = -1;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit === SPACE || unit === HYPHEN || unit === UNDERSCORE) {
      if (run < 0) run = index;
      continue;
    }
    if (isSurrogate(unit)) return undefined;
    if ((run >= 0 || index === 0) && (traits(unit) & LETTER) !== 0) {
      const upper =
        unit >= 0x61 && unit <= 0x7a ? String.fromCharCode(unit - 0x20) : String.fromCharCode(unit).toUpperCase();
      out += text.slice(from, run >= 0 ? run : index) + upper;
      from = index + 1;
    }
    run = -1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Humanizer's `Kebaberize` (see `kebabCaseByRegex`), without the regex passes for the usual words. */
export function toKebabCase(text: string): string {
  return kebabCaseScan(text) ?? kebabCaseByRegex(text);
}

/** Unicode-aware `Pascalize` (see `pascalCaseByRegex`), without the regex pass for the usual words. */
export function toPascalCase(text: string): string {
  return pascalCaseScan(text) ?? pascalCaseByRegex(text);
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
