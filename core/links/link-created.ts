import { z } from 'zod';
import { jsonDecoder, type MessageDecoder } from '../messaging/consumer-messages';
import type { OutboxRoute } from '../messaging/outbox-relay';
import { MESSAGE_TYPES, ROUTING_KEYS } from '../messaging/topology';
import type { Link } from './link';

/**
 * The `LinkCreated` event, declared once: the outbox row written with the link, the message the relay
 * publishes, and what the worker decodes all come from here.
 */

/** What the outbox row holds: written in the same statement as the link, so it exists exactly when the link does. */
export interface LinkCreatedPayload {
  readonly linkId: string;
  readonly languageId: number;
  readonly themeId: number;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
}

/** One link's creation as published: the payload plus the row's `message_id` as `eventId`, the key to deduplicate on. */
export interface LinkCreated extends LinkCreatedPayload {
  readonly eventId: string;
}

/**
 * Body of a `LinkCreated` message: every row of one relay claim, as visits are batched, so 1,500 creations/s
 * cost the broker tens of messages a second rather than thousands. Redelivery is at least once per event.
 */
export interface LinkCreatedMessage {
  readonly links: readonly LinkCreated[];
}

export function linkCreatedPayload(link: Link): LinkCreatedPayload {
  return {
    linkId: link.id,
    languageId: link.languageId,
    themeId: link.themeId,
    createdAt: link.createdAt.toISOString(),
  };
}

/** How the outbox relay publishes these rows. */
export const linkCreatedRoute: OutboxRoute<LinkCreatedPayload, LinkCreatedMessage> = {
  eventType: MESSAGE_TYPES.linkCreated,
  routingKey: ROUTING_KEYS.linkCreated,
  body: (links) => ({ links }),
};

const id = z.guid();

const linkCreatedSchema = z.object({
  eventId: id,
  linkId: id,
  languageId: z.number().int(),
  themeId: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<LinkCreated>;

const linkCreatedMessageSchema = z.object({
  links: z.array(linkCreatedSchema).min(1),
}) satisfies z.ZodType<LinkCreatedMessage>;

export const decodeLinkCreated: MessageDecoder<LinkCreatedMessage> = jsonDecoder(
  MESSAGE_TYPES.linkCreated,
  linkCreatedMessageSchema,
);
