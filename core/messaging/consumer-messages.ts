import type { ConsumeMessage } from 'amqplib';
import type { z } from 'zod';

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Turns a delivery into a typed body, or says why it can never be processed (a poison message). */
export type MessageDecoder<T> = (message: Pick<ConsumeMessage, 'content' | 'properties'>) => Decoded<T>;

/**
 * A decoder for JSON bodies of one message `type`, checked against `schema`. `fast` may accept a body without
 * zod on hot paths; zod is then asked only to explain a rejection.
 */
export function jsonDecoder<T>(
  type: string,
  schema: z.ZodType<T>,
  fast?: (body: unknown) => body is T,
): MessageDecoder<T> {
  return (message) => {
    const actualType: unknown = message.properties.type;
    // Untyped messages are accepted: the queue binding already says what they are.
    if (actualType !== undefined && actualType !== type)
      return { ok: false, reason: `unexpected type ${JSON.stringify(actualType)}` };
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
      return {
        ok: false,
        reason: `invalid body: ${first ? `${first.path.join('.')} ${first.message}` : 'schema mismatch'}`,
      };
    }
    return { ok: true, value: parsed.data };
  };
}

/** Permissive UUID syntax (any version): PostgreSQL's uuid type accepts them all, and ids are made elsewhere. */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
