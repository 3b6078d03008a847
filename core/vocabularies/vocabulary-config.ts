import { z } from 'zod';
import { integer, text } from '../config/env';
import { BUNDLED_VOCABULARY_SOURCE } from './create-vocabulary-source';

/** Where word lists come from and how long they are cached. */
export const vocabularyConfigSchema = z.object({
  VOCABULARY_SOURCE: text(
    '`bundled`, a directory, or an http(s) base URL laid out like the upstream vocabularies.',
    BUNDLED_VOCABULARY_SOURCE,
  ),
  VOCABULARY_TTL_SEC: integer('How long a loaded word list is served before it is reloaded.', {
    default: 3_600,
    min: 1,
    max: 86_400,
  }),
  VOCABULARY_NEGATIVE_TTL_SEC: integer('How long a missing word list is remembered as missing.', {
    default: 60,
    min: 1,
    max: 86_400,
  }),
});
