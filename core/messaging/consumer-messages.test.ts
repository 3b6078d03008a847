import { randomUUID } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { decodeLinkCreated, decodeLinkVisited } from './consumer-messages';

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

  it('accepts a LinkCreated outbox payload', () => {
    const body = { linkId: randomUUID(), languageId: 0, themeId: 0, createdAt: '2026-01-01T00:00:00.000Z' };
    expect(decodeLinkCreated({ content: Buffer.from(JSON.stringify(body)), properties: props('LinkCreated') })).toEqual({ ok: true, value: body });
  });
});
