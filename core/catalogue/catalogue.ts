/**
 * The offnd.at enumerations exposed over HTTP. Values and names are part of the v1 contract (the web client
 * derives labels from the numeric values), so they never change order.
 */
export const languages = [
  { value: 0, name: 'English', code: 'en' },
  { value: 1, name: 'Polish', code: 'pl' },
] as const;

export const themes = [
  { value: 0, name: 'none' },
  { value: 1, name: 'proper-names' },
  { value: 2, name: 'politicians' },
] as const;

export const formats = [
  { value: 0, name: 'kebab-case' },
  { value: 1, name: 'pascal-case' },
] as const;

export type Language = (typeof languages)[number];
export type Theme = (typeof themes)[number];
export type Format = (typeof formats)[number];

export type LanguageId = Language['value'];
export type ThemeId = Theme['value'];
export type FormatId = Format['value'];

export function languageById(id: number): Language | undefined {
  return languages.find((language) => language.value === id);
}

export function themeById(id: number): Theme | undefined {
  return themes.find((theme) => theme.value === id);
}

export function formatById(id: number): Format | undefined {
  return formats.find((format) => format.value === id);
}

/** The ids a request may name: the catalogue's values are contiguous from 0, so a range states them all. */
export interface IdRange {
  readonly min: number;
  readonly max: number;
}

function idRange(items: readonly { readonly value: number }[]): IdRange {
  return { min: items[0]?.value ?? 0, max: items[items.length - 1]?.value ?? -1 };
}

export const ID_RANGES = { language: idRange(languages), theme: idRange(themes), format: idRange(formats) } as const;

/** `0 English, 1 Polish`: how the API reference describes an id field. */
export function describeIds(items: readonly { readonly value: number; readonly name: string }[]): string {
  return items.map((item) => `${item.value} ${item.name}`).join(', ');
}
