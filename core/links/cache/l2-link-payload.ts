import { TARGET_URL_MAX_LENGTH, type ResolvedLink } from '../link';

/** The cached target is the percent-encoded Location form, which can be several times the stored URL. */
const LOCATION_MAX_LENGTH = TARGET_URL_MAX_LENGTH * 16;

/** Stored for a phrase the primary said does not exist; cannot collide with a JSON object. */
export const ABSENT_PAYLOAD = '!absent';

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

const MISS: L2Lookup = { kind: 'miss' };
const ABSENT: L2Lookup = { kind: 'absent' };
const GARBAGE: L2Lookup = { kind: 'garbage' };

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

/**
 * Redis is shared with other versions of this service and with operators' hands, so its values are checked
 * like any outside input; anything unexpected is a miss, never a redirect to a wrong place. Checked by hand, not
 * with a schema: this runs on every redirect served from Redis, and a schema's parse cost a tenth of the api's
 * CPU per such redirect. Only the known fields are kept.
 */
export function decodePayload(value: string | null): L2Lookup {
  if (value === null) return MISS;
  if (value === ABSENT_PAYLOAD) return ABSENT;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return GARBAGE;
  }
  if (typeof parsed !== 'object' || parsed === null) return GARBAGE;
  const { id, targetUrl, languageId, themeId, expiresAt } = parsed as Record<string, unknown>;
  if (!isText(id, 64) || !isText(targetUrl, LOCATION_MAX_LENGTH)) return GARBAGE;
  if (!Number.isInteger(languageId) || !Number.isInteger(themeId)) return GARBAGE;
  const link = { id, targetUrl, languageId: languageId as number, themeId: themeId as number };
  if (expiresAt === undefined) return { kind: 'link', link };
  if (!Number.isInteger(expiresAt) || (expiresAt as number) <= 0) return GARBAGE;
  return { kind: 'link', link: { ...link, expiresAt: expiresAt as number } };
}
