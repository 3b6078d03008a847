import { z } from 'zod';
import { integer, optionalText } from '../config/env';

/** Where blocklist rules come from besides the database; composed into both processes' schemas. */
export const blocklistConfigSchema = z.object({
  BLOCKLIST_FILE: optionalText(
    'File of blocklist rules (`host|suffix|regex <value> [# reason]` per line), e.g. a mounted ConfigMap.',
  ),
  BLOCKLIST_REFRESH_SEC: integer('How often the blocklist is re-read even without a change message (file edits).', {
    default: 60,
    min: 5,
    max: 3_600,
  }),
});
export type BlocklistConfig = z.output<typeof blocklistConfigSchema>;
