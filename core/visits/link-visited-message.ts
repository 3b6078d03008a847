import { z } from 'zod';
import { GUID, jsonDecoder, type MessageDecoder } from '../messaging/consumer-messages';
import { MESSAGE_TYPES } from '../messaging/topology';
import type { LinkVisited } from './visit';

/** Body of a `LinkVisited` message: a batch, so 20,000 visits/s are tens of messages, not thousands. */
export interface LinkVisitedMessage {
  readonly visits: readonly LinkVisited[];
}

const id = z.guid();
const isoDateTime = z.iso.datetime({ offset: true });

const linkVisitedSchema = z.object({
  visitId: id,
  linkId: id,
  languageId: z.number().int(),
  themeId: z.number().int(),
  visitedAt: isoDateTime,
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  referrer: z.string().nullable(),
  isBot: z.boolean(),
}) satisfies z.ZodType<LinkVisited>;

export const linkVisitedMessageSchema = z.object({
  visits: z.array(linkVisitedSchema),
}) satisfies z.ZodType<LinkVisitedMessage>;

// Same rules as the schema above (see the agreement test). Visits arrive at tens of thousands per second and
// zod costs about five times this check per visit, so the hot path tests by hand and asks zod only to explain
// a rejection.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const nullableString = (value: unknown) => value === null || typeof value === 'string';
const guid = (value: unknown) => typeof value === 'string' && GUID.test(value);

export function isLinkVisitedMessage(body: unknown): body is LinkVisitedMessage {
  const visits = (body as { visits?: unknown } | null)?.visits;
  if (typeof body !== 'object' || !Array.isArray(visits)) return false;
  for (const visit of visits as unknown[]) {
    if (typeof visit !== 'object' || visit === null) return false;
    const v = visit as Record<keyof LinkVisited, unknown>;
    if (!guid(v.visitId) || !guid(v.linkId) || typeof v.isBot !== 'boolean') return false;
    if (!Number.isSafeInteger(v.languageId) || !Number.isSafeInteger(v.themeId)) return false;
    if (typeof v.visitedAt !== 'string' || !ISO_DATE_TIME.test(v.visitedAt) || Number.isNaN(Date.parse(v.visitedAt)))
      return false;
    if (!nullableString(v.ipAddress) || !nullableString(v.userAgent) || !nullableString(v.referrer)) return false;
  }
  return true;
}

export const decodeLinkVisited: MessageDecoder<LinkVisitedMessage> = jsonDecoder(
  MESSAGE_TYPES.linkVisited,
  linkVisitedMessageSchema,
  isLinkVisitedMessage,
);
