import { randomUUID } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { decodeLinkCreated, decodeLinkVisited, isLinkVisitedMessage, linkVisitedMessageSchema } from './consumer-messages';

const props = (type?: string) => ({ type }) as unknown as MessageProperties;
const visit = () => ({
  visitId: randomUUID(),
  linkId: randomUUID(),
  languageId: 0,
  themeId: 1,
  visitedAt: new Date().toISOString(),
  ipAddress: '203.0.113.7',
  userAgent: 'curl/8',
  referrer: null,
  isBot: false,
});

describe('message decoders', () => {
  it('accepts a LinkVisited batch', () => {
    const body = { visits: [visit(), visit()] };
    const decoded = decodeLinkVisited({ content: Buffer.from(JSON.stringify(body)), properties: props('LinkVisited') });
    expect(decoded).toEqual({ ok: true, value: body });
  });

  it('rejects non-JSON, schema violations and foreign types as poison', () => {
    const bad = [
      { content: Buffer.from('{not json'), properties: props('LinkVisited') },
      { content: Buffer.from(JSON.stringify({ visits: [{ ...visit(), visitId: 'nope' }] })), properties: props('LinkVisited') },
      { content: Buffer.from(JSON.stringify({ visits: [visit()] })), properties: props('LinkCreated') },
    ];
    for (const message of bad) expect(decodeLinkVisited(message).ok).toBe(false);
  });

  it('accepts a batch of LinkCreated events and rejects an empty one or a bare payload', () => {
    const linkId = randomUUID();
    const event = { eventId: linkId, linkId, languageId: 0, themeId: 0, createdAt: '2026-01-01T00:00:00.000Z' };
    const message = (body: unknown) => ({ content: Buffer.from(JSON.stringify(body)), properties: props('LinkCreated') });

    expect(decodeLinkCreated(message({ links: [event] }))).toEqual({ ok: true, value: { links: [event] } });
    expect(decodeLinkCreated(message({ links: [] })).ok).toBe(false);
    expect(decodeLinkCreated(message({ links: [{ ...event, eventId: undefined }] })).ok).toBe(false);
    expect(decodeLinkCreated(message(event)).ok).toBe(false);
  });

  it('checks visits by hand exactly as the zod schema does', () => {
    const variants: Array<Record<string, unknown>> = [
      {},
      { visitId: 'nope' },
      { linkId: randomUUID().toUpperCase() },
      { languageId: 1.5 },
      { themeId: '1' },
      { visitedAt: '2026-01-01' },
      { visitedAt: '2026-01-01T10:00:00+02:00' },
      { visitedAt: 'yesterday' },
      { ipAddress: 7 },
      { userAgent: null, referrer: 'https://example.com/' },
      { isBot: 'false' },
    ];
    const bodies: unknown[] = [null, 'visits', { visits: 'x' }, { visits: [null] }, { visits: [] }];
    for (const variant of variants) bodies.push({ visits: [visit(), { ...visit(), ...variant }] });
    for (const body of bodies) expect([body, isLinkVisitedMessage(body)]).toEqual([body, linkVisitedMessageSchema.safeParse(body).success]);
  });
});
