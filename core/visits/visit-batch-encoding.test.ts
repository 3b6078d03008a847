import { randomUUID } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { decodeLinkVisited } from './link-visited-message';
import type { LinkVisited } from './visit';
import { JSON_STRING_CACHE_MAX, encodeVisitBatch } from './visit-batch-encoding';
import { createVisitIdSource } from './visit-id';

const properties = { type: 'LinkVisited' } as unknown as MessageProperties;
const nextId = createVisitIdSource();
const AWKWARD = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'quote " backslash \\ slash / tab \t newline \n',
  'control \u0000\u0001\u001f and DEL \u007f',
  'zażółć gęślą jaźń 🐧 汉字',
  'lone surrogates \ud800 and \udfff',
  'line separators \u2028\u2029',
  '',
  'x'.repeat(1024),
];

function visit(i: number, overrides: Partial<LinkVisited> = {}): LinkVisited {
  return {
    visitId: i % 2 === 0 ? nextId() : randomUUID(),
    linkId: randomUUID(),
    languageId: i % 3,
    themeId: i % 5,
    visitedAt: new Date(1_764_489_600_000 + i).toISOString(),
    ipAddress: i % 7 === 0 ? null : `203.0.113.${i % 256}`,
    userAgent: i % 11 === 0 ? null : AWKWARD[i % AWKWARD.length]!,
    referrer: i % 4 === 0 ? null : `https://example.com/?q=${AWKWARD[(i + 3) % AWKWARD.length]!}`,
    isBot: i % 3 === 0,
    ...overrides,
  };
}

describe('encodeVisitBatch', () => {
  it('writes exactly the bytes JSON.stringify writes, whatever the header values hold', () => {
    const visits = Array.from({ length: 600 }, (_, i) => visit(i));

    const encoded = encodeVisitBatch(visits);

    expect(encoded.equals(Buffer.from(JSON.stringify({ visits })))).toBe(true);
  });

  it('grows its buffer for batches of long user agents and referrers', () => {
    const long = 'é'.repeat(2048);
    const visits = Array.from({ length: 50 }, (_, i) => visit(i, { userAgent: long, referrer: `${long}${i}` }));

    expect(encodeVisitBatch(visits).equals(Buffer.from(JSON.stringify({ visits })))).toBe(true);
  });

  it('stays exact for ids and numbers the api would never make', () => {
    const odd = [
      visit(1, { visitId: 'not"a-uuid\\' }),
      visit(2, { linkId: '"quoted"' }),
      visit(3, { languageId: 2 ** 53, themeId: -0 }),
      visit(4, { languageId: 1.5, themeId: Number.NaN }),
    ];

    expect(encodeVisitBatch(odd).toString('utf8')).toBe(JSON.stringify({ visits: odd }));
  });

  it('keeps its string cache bounded and correct past its limit', () => {
    const visits = Array.from({ length: JSON_STRING_CACHE_MAX + 500 }, (_, i) =>
      visit(i, { userAgent: `agent ${i} "${i}"` }),
    );

    expect(encodeVisitBatch(visits).equals(Buffer.from(JSON.stringify({ visits })))).toBe(true);
  });

  it('encodes an empty batch as an empty list', () => {
    expect(encodeVisitBatch([]).toString()).toBe('{"visits":[]}');
  });

  it('is read by the worker as the same visits', () => {
    const visits = Array.from({ length: 100 }, (_, i) => visit(i));

    const decoded = decodeLinkVisited({ content: encodeVisitBatch(visits), properties });

    expect(decoded).toEqual({ ok: true, value: { visits } });
  });

  it('leaves the worker reading messages a previous version queued (JSON.stringify, random UUIDs)', () => {
    const queuedBefore = Array.from({ length: 20 }, (_, i) => visit(i, { visitId: randomUUID() }));

    const decoded = decodeLinkVisited({ content: Buffer.from(JSON.stringify({ visits: queuedBefore })), properties });

    expect(decoded).toEqual({ ok: true, value: { visits: queuedBefore } });
  });
});
