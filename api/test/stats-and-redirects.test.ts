import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';

let api: BootedApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(() => api.close());

interface Stats {
  id: string;
  phrase: string;
  targetUrl: string;
  languageId: number;
  themeId: number;
  visits: number;
  botVisits: number;
  recentVisits: Array<{
    visitedAt: string;
    ipAddress: string | null;
    userAgent: string | null;
    referrer: string | null;
  }>;
  createdAt: string;
}

async function stats(phrase: string): Promise<Stats> {
  const response = await fetch(`${api.baseUrl}/v1/links/${encodeURIComponent(phrase)}`, { headers: jsonHeaders() });
  expect(response.status).toBe(200);
  return (await response.json()) as Stats;
}

// isbot counts HTTP libraries (node, curl, "TestAgent") as bots, so human visits need a browser's agent.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const follow = (path: string, init: RequestInit = {}) =>
  fetch(`${api.baseUrl}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { 'user-agent': BROWSER, ...(init.headers as Record<string, string>) },
  });

describe('GET /v1/links/{phrase}', () => {
  it('returns a fresh link with no visits', async () => {
    const link = await createLink(api.baseUrl, { targetUrl: 'http://localhost' });

    const body = await stats(link.phrase);

    expect(body).toEqual({
      id: expect.stringMatching(/^[\da-f-]{36}$/),
      phrase: link.phrase,
      targetUrl: 'http://localhost',
      languageId: 0,
      themeId: 0,
      visits: 0,
      botVisits: 0,
      recentVisits: [],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
    });
  });

  it('answers 404 Link.NotFound in the original problem shape for an unknown phrase', async () => {
    const response = await fetch(`${api.baseUrl}/v1/links/non-existent-phrase`, { headers: jsonHeaders() });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
      title: 'Not Found',
      status: 404,
      detail: 'The link with the specified phrase was not found.',
      instance: 'GET /v1/links/non-existent-phrase',
      errors: [{ code: 'Link.NotFound', message: 'The link with the specified phrase was not found.' }],
      traceId: expect.any(String),
      requestId: expect.any(String),
      activityId: expect.any(String),
    });
  });

  it('answers 404 for phrases longer than 256 characters', async () => {
    const response = await fetch(`${api.baseUrl}/v1/links/${'a'.repeat(300)}`, { headers: jsonHeaders() });

    expect(response.status).toBe(404);
  });
});

describe('redirects', () => {
  it('redirects /v1/redirects/{phrase} with 301 and a private, short cache lifetime', async () => {
    const link = await createLink(api.baseUrl, { targetUrl: 'http://localhost' });

    const response = await follow(`/v1/redirects/${encodeURIComponent(link.phrase)}`);

    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('http://localhost/');
    expect(response.headers.get('cache-control')).toBe('private, max-age=90');
    expect(response.headers.get('api-supported-versions')).toBe('1');
  });

  it('redirects the short form /{phrase} and counts each GET as a visit with its request details', async () => {
    const link = await createLink(api.baseUrl, { targetUrl: 'https://example.com/landing?x=1' });

    const first = await follow(`/${encodeURIComponent(link.phrase)}`, { headers: { referer: 'https://referrer.com' } });
    const second = await follow(`/${encodeURIComponent(link.phrase)}?utm=1`, {});
    await api.flushVisits();

    expect(first.headers.get('location')).toBe('https://example.com/landing?x=1');
    expect(second.status).toBe(301);
    const body = await stats(link.phrase);
    expect(body.visits).toBe(2);
    expect(body.recentVisits).toHaveLength(2);
    expect(body.recentVisits.map((v) => v.referrer).sort()).toEqual(['', 'https://referrer.com']);
    expect(body.recentVisits[0]).toMatchObject({
      // Anonymised by default (VISIT_IP_MODE=truncate): the network of 127.0.0.1, in the same shape.
      ipAddress: '127.0.0.0',
      userAgent: BROWSER,
    });
    expect(Date.parse(body.recentVisits[0]!.visitedAt)).toBeGreaterThanOrEqual(
      Date.parse(body.recentVisits[1]!.visitedAt),
    );
  });

  it('redirects HEAD requests without counting them', async () => {
    const link = await createLink(api.baseUrl);

    const response = await follow(`/${encodeURIComponent(link.phrase)}`, { method: 'HEAD' });
    await api.flushVisits();

    expect(response.status).toBe(301);
    expect((await stats(link.phrase)).visits).toBe(0);
  });

  it('counts crawlers and link previews separately from visits', async () => {
    const link = await createLink(api.baseUrl);

    await follow(`/${encodeURIComponent(link.phrase)}`, {
      headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
    });
    await follow(`/${encodeURIComponent(link.phrase)}`, {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    });
    await api.flushVisits();

    const body = await stats(link.phrase);
    expect(body.visits).toBe(0);
    expect(body.botVisits).toBe(2);
    expect(body.recentVisits).toEqual([]);
  });

  it('truncates over-long User-Agent and Referer headers instead of failing', async () => {
    const link = await createLink(api.baseUrl);

    const response = await follow(`/${encodeURIComponent(link.phrase)}`, {
      headers: { 'user-agent': `${BROWSER} ${'u'.repeat(5000)}`, referer: `https://r.example/${'r'.repeat(5000)}` },
    });
    await api.flushVisits();

    expect(response.status).toBe(301);
    const [visit] = (await stats(link.phrase)).recentVisits;
    expect(visit!.userAgent).toHaveLength(1024);
    expect(visit!.referrer).toHaveLength(2048);
  });

  it.each(['/v1/redirects/non-existent-phrase', '/non-existent-phrase'])(
    'answers 404 Link.NotFound for %s',
    async (path) => {
      const response = await follow(path);

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as {
        title: string;
        detail: string;
        instance: string;
        errors: Array<{ code: string }>;
      };
      expect(problem.errors.map((e) => e.code)).toEqual(['Link.NotFound']);
      expect(problem.title).toBe('Not Found');
      expect(problem.instance).toBe(`GET ${path}`);
    },
  );

  it('rejects a phrase over 256 characters with 400 Phrase.LongerThanAllowed', async () => {
    const response = await follow(`/v1/redirects/${'a'.repeat(257)}`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe(
      'Phrase.LongerThanAllowed',
    );
  });

  it.each([
    ['/v1/redirects/%20', 'VisitLink.PhraseIsRequired'],
    ['/v1/redirects/%E0%A4%A', 'VisitLink.PhraseMalformed'],
  ])('rejects %s with 400 %s', async (path, code) => {
    const response = await follow(path);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe(code);
  });

  it('serves a human-readable stats page at the statsUrl', async () => {
    const link = await createLink(api.baseUrl, { targetUrl: 'https://example.com/<script>' });

    const response = await fetch(link.statsUrl.replace(/^http:\/\/localhost:\d+/, api.baseUrl));

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`/${link.phrase}`);
    expect(html).toContain('Total visits');
    expect(html).not.toContain('<script>');
  });
});
