import type { IncomingMessage } from 'node:http';
import type { ResolvedLink } from '../../core/links/link';
import { BOT_CACHE_MAX, createVisitFor, isBotAgent } from './visit-event';

const link: ResolvedLink = {
  id: '3f0c0c5e-1a52-4f6e-9d1e-6f1a2b3c4d5e',
  targetUrl: 'https://e.x',
  languageId: 1,
  themeId: 2,
};
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const request = (headers: IncomingMessage['headers']) => ({ headers }) as IncomingMessage;

describe('createVisitFor', () => {
  it('stamps each visit with its own millisecond and a distinct id', () => {
    const visitFor = createVisitFor();
    const at = Date.UTC(2026, 10, 30, 8, 0, 0, 123);

    const [a, b, c] = [at, at, at + 1].map((now) => visitFor(request({ 'user-agent': BROWSER }), link, '1.2.3.0', now));

    expect(a!.visitedAt).toBe(new Date(at).toISOString());
    expect(b!.visitedAt).toBe(a!.visitedAt);
    expect(c!.visitedAt).toBe(new Date(at + 1).toISOString());
    expect(new Set([a!.visitId, b!.visitId, c!.visitId]).size).toBe(3);
  });

  it('carries the link, the address and the headers, truncated to their columns', () => {
    const visitFor = createVisitFor(() => '00000000-0000-4000-8000-000000000001');

    const visit = visitFor(
      request({ 'user-agent': `${BROWSER} ${'a'.repeat(5000)}`, referer: 'https://r.x/' }),
      link,
      '1.2.3.0',
      0,
    );

    expect(visit).toEqual({
      visitId: '00000000-0000-4000-8000-000000000001',
      linkId: link.id,
      languageId: 1,
      themeId: 2,
      visitedAt: '1970-01-01T00:00:00.000Z',
      ipAddress: '1.2.3.0',
      userAgent: `${BROWSER} ${'a'.repeat(5000)}`.slice(0, 1024),
      referrer: 'https://r.x/',
      isBot: false,
    });
  });

  it('classifies crawlers and clients without a user agent apart from browsers', () => {
    const visitFor = createVisitFor();

    const kinds = [BROWSER, 'Googlebot/2.1 (+http://www.google.com/bot.html)', undefined].map(
      (agent) => visitFor(request(agent === undefined ? {} : { 'user-agent': agent }), link, null, 0).isBot,
    );

    expect(kinds).toEqual([false, true, false]);
  });
});

describe('isBotAgent', () => {
  it('answers the same past its cache limit, for agents seen before and new ones', () => {
    const agents = Array.from({ length: BOT_CACHE_MAX + 10 }, (_, i) => (i % 2 ? `${BROWSER} ${i}` : `bot-${i}`));

    const first = agents.map(isBotAgent);
    const second = agents.map(isBotAgent);

    expect(second).toEqual(first);
    expect(first.filter(Boolean).length).toBe(Math.ceil(agents.length / 2));
  });
});
