import { z } from 'zod';
import { integer } from '../config/env';
import type { CollisionPolicy } from './create-link';

/** How link creation rides out phrase collisions. */
export const linksConfigSchema = z.object({
  PHRASE_RETRY_ATTEMPTS: integer('Phrase collisions retried with backoff before the phrase is lengthened.', {
    default: 5,
    min: 1,
    max: 20,
  }),
  PHRASE_RETRY_BASE_DELAY_MS: integer('First backoff pause after a collision (doubles each retry, with full jitter).', {
    default: 10,
    min: 0,
    max: 10_000,
  }),
  PHRASE_RETRY_MAX_DELAY_MS: integer('Longest backoff pause between collision retries.', {
    default: 200,
    min: 0,
    max: 60_000,
  }),
});

export type LinksConfig = z.output<typeof linksConfigSchema>;

/** Attempts with a longer phrase once the retries are spent; each extra word multiplies the phrase space. */
const LENGTHENED_ATTEMPTS = 3;

export function collisionPolicy(config: LinksConfig): CollisionPolicy {
  return {
    attempts: config.PHRASE_RETRY_ATTEMPTS,
    baseDelayMs: config.PHRASE_RETRY_BASE_DELAY_MS,
    maxDelayMs: config.PHRASE_RETRY_MAX_DELAY_MS,
    lengthenedAttempts: LENGTHENED_ATTEMPTS,
  };
}
