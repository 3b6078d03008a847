import { randomUUID } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { decodeLinkCreated, linkCreatedPayload, linkCreatedRoute } from './link-created';

const props = (type?: string) => ({ type }) as unknown as MessageProperties;

describe('LinkCreated events', () => {
  it('accepts a batch of LinkCreated events and rejects an empty one or a bare payload', () => {
    const linkId = randomUUID();
    const event = { eventId: linkId, linkId, languageId: 0, themeId: 0, createdAt: '2026-01-01T00:00:00.000Z' };
    const message = (body: unknown) => ({
      content: Buffer.from(JSON.stringify(body)),
      properties: props('LinkCreated'),
    });

    expect(decodeLinkCreated(message({ links: [event] }))).toEqual({ ok: true, value: { links: [event] } });
    expect(decodeLinkCreated(message({ links: [] })).ok).toBe(false);
    expect(decodeLinkCreated(message({ links: [{ ...event, eventId: undefined }] })).ok).toBe(false);
    expect(decodeLinkCreated(message(event)).ok).toBe(false);
  });

  it('publishes what the outbox row holds in a body the consumer decodes', () => {
    const link = {
      id: randomUUID(),
      phrase: 'p',
      targetUrl: 'https://example.com/',
      languageId: 1,
      themeId: 2,
      createdAt: new Date(),
    };
    const body = linkCreatedRoute.body([{ ...linkCreatedPayload(link), eventId: link.id }]);

    const decoded = decodeLinkCreated({
      content: Buffer.from(JSON.stringify(body)),
      properties: props(linkCreatedRoute.eventType),
    });

    expect(decoded).toEqual({
      ok: true,
      value: {
        links: [
          { eventId: link.id, linkId: link.id, languageId: 1, themeId: 2, createdAt: link.createdAt.toISOString() },
        ],
      },
    });
  });
});
