import { randomUUID } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { decodeLinkVisited, isLinkVisitedMessage, linkVisitedMessageSchema } from './link-visited-message';

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

describe('LinkVisited messages', () => {
  it('accepts a LinkVisited batch', () => {
    const body = { visits: [visit(), visit()] };
    const decoded = decodeLinkVisited({ content: Buffer.from(JSON.stringify(body)), properties: props('LinkVisited') });
    expect(decoded).toEqual({ ok: true, value: body });
  });

  it('rejects non-JSON, schema violations and foreign types as poison', () => {
    const bad = [
      { content: Buffer.from('{not json'), properties: props('LinkVisited') },
      {
        content: Buffer.from(JSON.stringify({ visits: [{ ...visit(), visitId: 'nope' }] })),
        properties: props('LinkVisited'),
      },
      { content: Buffer.from(JSON.stringify({ visits: [visit()] })), properties: props('LinkCreated') },
    ];
    for (const message of bad) expect(decodeLinkVisited(message).ok).toBe(false);
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
    for (const body of bodies)
      expect([body, isLinkVisitedMessage(body)]).toEqual([body, linkVisitedMessageSchema.safeParse(body).success]);
  });
});
