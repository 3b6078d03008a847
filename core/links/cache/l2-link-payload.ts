import { z } from 'zod';
import { TARGET_URL_MAX_LENGTH, type ResolvedLink } from '../link';

/** The cached target is the percent-encoded Location form, which can be several times the stored URL. */
const LOCATION_MAX_LENGTH = TARGET_URL_MAX_LENGTH * 16;

/** Stored for a phrase the primary said does not exist; cannot collide with a JSON object. */
export const ABSENT_PAYLOAD = '!absent';

const resolvedLinkSchema = z.object({
  id: z.string().min(1).max(64),
  targetUrl: z.string().min(1).max(LOCATION_MAX_LENGTH),
  languageId: z.number().int(),
  themeId: z.number().int(),
  expiresAt: z.number().int().positive().optional(),
});

/** What a Redis value says: a link, known absence, or nothing usable (missing key or garbage). */
export type L2Lookup =
  { kind: 'link'; link: ResolvedLink } | { kind: 'absent' } | { kind: 'miss' } | { kind: 'garbage' };

/**
 * Only live links without a visit budget are shared through Redis (`isSharable`): a gone link would be read as live
 * by a previous release during a rollout, and a budget's remaining visits go stale in another process.
 */
export function isSharable(link: ResolvedLink): boolean {
  return link.gone === undefined && link.visitsLeft === undefined;
}

export function encodeLink(link: ResolvedLink): string {
  // Only these fields, whatever else the caller's object carries.
  const { id, targetUrl, languageId, themeId, expiresAt } = link;
  return JSON.stringify(
    expiresAt === undefined
      ? { id, targetUrl, languageId, themeId }
      : { id, targetUrl, languageId, themeId, expiresAt },
  );
}

/**
 * Redis is shared with other versions of this service and with operators' hands, so its values are checked
 * like any outside input; anything unexpected is a miss, never a redirect to a wrong place.
 */
export function decodePayload(value: string | null): L2Lookup {
  if (value === null) return { kind: 'miss' };
  if (value === ABSENT_PAYLOAD) return { kind: 'absent' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { kind: 'garbage' };
  }
  const result = resolvedLinkSchema.safeParse(parsed);
  if (!result.success) return { kind: 'garbage' };
  const { expiresAt, ...link } = result.data;
  return { kind: 'link', link: expiresAt === undefined ? link : { ...link, expiresAt } };
}
