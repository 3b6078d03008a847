import { z } from 'zod';
import type { ConsumeMessage } from 'amqplib';
import type { LinkVisited } from '../visits/visit';
import { MESSAGE_TYPES, type LinkCreated, type LinkCreatedMessage, type LinkVisitedMessage } from './topology';

// Permissive UUID syntax (any version): PostgreSQL's uuid type accepts them all, and ids are made elsewhere.
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

export const linkVisitedMessageSchema = z.object({ visits: z.array(linkVisitedSchema) }) satisfies z.ZodType<LinkVisitedMessage>;

const linkCreatedSchema = z.object({
  eventId: id,
  linkId: id,
  languageId: z.number().int(),
  themeId: z.number().int(),
  createdAt: isoDateTime,
}) satisfies z.ZodType<LinkCreated>;

export const linkCreatedMessageSchema = z.object({ links: z.array(linkCreatedSchema).min(1) }) satisfies z.ZodType<LinkCreatedMessage>;

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Turns a delivery into a typed body, or says why it can never be processed (a poison message). */
export type MessageDecoder<T> = (message: Pick<ConsumeMessage, 'content' | 'properties'>) => Decoded<T>;

// Same rules as the schemas above (see the agreement test). Visits arrive at tens of thousands per second and
// zod costs about five times this check per visit, so the hot path tests by hand and asks zod only to explain
// a rejection.
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
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
    if (typeof v.visitedAt !== 'string' || !ISO_DATE_TIME.test(v.visitedAt) || Number.isNaN(Date.parse(v.visitedAt))) return false;
    if (!nullableString(v.ipAddress) || !nullableString(v.userAgent) || !nullableString(v.referrer)) return false;
  }
  return true;
}

function jsonDecoder<T>(type: string, schema: z.ZodType<T>, fast?: (body: unknown) => body is T): MessageDecoder<T> {
  return (message) => {
    const actualType: unknown = message.properties.type;
    // Untyped messages are accepted: the queue binding already says what they are.
    if (actualType !== undefined && actualType !== type) return { ok: false, reason: `unexpected type ${JSON.stringify(actualType)}` };
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch {
      return { ok: false, reason: 'body is not JSON' };
    }
    if (fast?.(body)) return { ok: true, value: body };
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return { ok: false, reason: `invalid body: ${first ? `${first.path.join('.')} ${first.message}` : 'schema mismatch'}` };
    }
    return { ok: true, value: parsed.data };
  };
}

export const decodeLinkVisited: MessageDecoder<LinkVisitedMessage> = jsonDecoder(
  MESSAGE_TYPES.linkVisited,
  linkVisitedMessageSchema,
  isLinkVisitedMessage,
);
export const decodeLinkCreated: MessageDecoder<LinkCreatedMessage> = jsonDecoder(MESSAGE_TYPES.linkCreated, linkCreatedMessageSchema);
