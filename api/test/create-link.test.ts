import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';

let api: BootedApi;
beforeAll(async () => {
  api = await bootApi({ env: { BASE_URL: 'https://sho.rt' } });
});
afterAll(() => api.close());

interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors: Array<{ code: string; message: string }>;
  traceId: string;
  requestId: string;
}

async function post(body: unknown, headers: Record<string, string> = jsonHeaders()): Promise<Response> {
  return fetch(`${api.baseUrl}/v1/links`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  return (await response.json()) as Problem;
}

async function linkCount(): Promise<number> {
  const { rows } = await api.db.pools.primary.query<{ n: number }>('SELECT count(*)::int AS n FROM links');
  return rows[0]!.n;
}

const valid = { targetUrl: 'http://localhost', languageId: 0, themeId: 0, formatId: 1 };

describe('POST /v1/links', () => {
  it('creates a link: 201 with exactly url and statsUrl, and Location set to the short URL', async () => {
    const response = await post(valid);

    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['statsUrl', 'url']);
    expect(body.url).toMatch(/^https:\/\/sho\.rt\/\S/);
    expect(body.statsUrl).toBe(body.url!.replace('https://sho.rt/', 'https://sho.rt/s/'));
    expect(response.headers.get('location')).toBe(new URL(body.url!).href);
    expect(response.headers.get('api-supported-versions')).toBe('1');
  });

  it('writes a LinkCreated outbox row in the same transaction as the link', async () => {
    const link = await createLink(api.baseUrl);

    const { rows } = await api.db.pools.primary.query(
      `SELECT o.event_type, o.payload FROM outbox o JOIN links l ON l.id = o.message_id WHERE l.phrase = $1`,
      [link.phrase],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].event_type).toBe('LinkCreated');
    expect(rows[0].payload).toMatchObject({ languageId: 0, themeId: 0 });
  });

  it.each([
    [{ ...valid, languageId: 1, themeId: 0, formatId: 0 }, /^[\p{Ll}\p{N}'’,.\- \u00AD]+$/u],
    [{ ...valid, languageId: 1, themeId: 2, formatId: 1 }, /^\p{Lu}/u],
    [{ ...valid, languageId: 0, themeId: 1, formatId: 0 }, /^[^A-Z]+$/],
  ])('generates phrases for %j', async (body, shape) => {
    const response = await post(body);

    expect(response.status).toBe(201);
    const { url } = (await response.json()) as { url: string };
    expect(url.slice('https://sho.rt/'.length)).toMatch(shape);
  });

  it('reads body fields case-insensitively, as the original binder does', async () => {
    const response = await post({ TargetUrl: 'https://example.com', LanguageId: 0, ThemeId: 0, FormatId: 0 });

    expect(response.status).toBe(201);
  });

  it('reports both URL rules when targetUrl is missing, in rule order', async () => {
    const before = await linkCount();

    const response = await post({ languageId: 0, themeId: 0, formatId: 0 });

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.title).toBe('One or more validation errors occurred.');
    expect(problem.type).toBe('https://tools.ietf.org/html/rfc9110#section-15.5.1');
    expect(problem.instance).toBe('POST /v1/links');
    expect(problem.errors.map((e) => e.code)).toEqual([
      'GenerateLink.TargetUrlIsRequired',
      'GenerateLink.TargetUrlMustBeAbsoluteUri',
    ]);
    expect(problem.traceId).toMatch(/^[\da-f]{32}$/);
    expect(problem.requestId).not.toBe('');
    expect(await linkCount()).toBe(before);
  });

  it.each([
    [{ ...valid, targetUrl: 'testString' }, ['GenerateLink.TargetUrlMustBeAbsoluteUri']],
    [{ targetUrl: 'http://localhost', themeId: 0, formatId: 0 }, ['GenerateLink.LanguageIdOutOfRange']],
    [{ targetUrl: 'http://localhost', languageId: 0, formatId: 0 }, ['GenerateLink.ThemeIdOutOfRange']],
    [{ targetUrl: 'http://localhost', languageId: 0, themeId: 0 }, ['GenerateLink.FormatIdOutOfRange']],
    [
      { ...valid, languageId: 2, themeId: 3, formatId: -1 },
      ['GenerateLink.FormatIdOutOfRange', 'GenerateLink.LanguageIdOutOfRange', 'GenerateLink.ThemeIdOutOfRange'],
    ],
    [
      { ...valid, languageId: '0', themeId: 0.5, formatId: null },
      ['GenerateLink.FormatIdOutOfRange', 'GenerateLink.LanguageIdOutOfRange', 'GenerateLink.ThemeIdOutOfRange'],
    ],
    [{ ...valid, targetUrl: 'javascript:alert(1)' }, ['GenerateLink.TargetUrlSchemeNotAllowed']],
    [{ ...valid, targetUrl: 'file:///etc/passwd' }, ['GenerateLink.TargetUrlSchemeNotAllowed']],
    [{ ...valid, targetUrl: 'data:text/html,hi' }, ['GenerateLink.TargetUrlSchemeNotAllowed']],
    [{ ...valid, targetUrl: '/etc/passwd' }, ['GenerateLink.TargetUrlMustBeAbsoluteUri']],
    [{ ...valid, targetUrl: `https://example.com/${'a'.repeat(4100)}` }, ['TargetUrl.LongerThanAllowed']],
    [{ ...valid, targetUrl: 42 }, ['GenerateLink.TargetUrlIsRequired', 'GenerateLink.TargetUrlMustBeAbsoluteUri']],
    [[valid], ['GenerateLink.BodyMustBeObject']],
    ['"just a string"', ['GenerateLink.BodyMustBeObject']],
  ])('rejects %j with every failing rule and creates nothing', async (body, codes) => {
    const before = await linkCount();

    const response = await post(body);

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors.map((e) => e.code)).toEqual(codes);
    expect(await linkCount()).toBe(before);
  });

  it('rejects malformed JSON with a problem, not a 500', async () => {
    const response = await post('{"targetUrl": "http://x", ');

    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors.map((e) => e.code)).toEqual(['General.MalformedJson']);
  });

  it('rejects bodies over the size limit with 413', async () => {
    const response = await post({ ...valid, padding: 'x'.repeat(64 * 1024) });

    expect(response.status).toBe(413);
    expect((await problemOf(response)).errors.map((e) => e.code)).toEqual(['General.PayloadTooLarge']);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await post('targetUrl=http://x', {
      'content-type': 'application/x-www-form-urlencoded',
      'x-offnd-api-key': 'test-api-key',
    });

    expect(response.status).toBe(415);
    expect((await problemOf(response)).errors.map((e) => e.code)).toEqual(['General.UnsupportedMediaType']);
  });
});
