import { gzipSync } from 'node:zlib';
import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';
import { sendRaw, type RawAnswer } from './support/raw-http';

let api: BootedApi;
let phrase: string;

beforeAll(async () => {
  api = await bootApi();
  phrase = (await createLink(api.baseUrl)).phrase;
});
afterAll(() => api.close());

/** Raw node:http, so paths reach the server byte for byte (fetch would normalise some of them). */
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
  sendRaw(api.baseUrl, method, path, headers, body);

function problem(answer: RawAnswer) {
  const parsed = JSON.parse(answer.body) as { errors: Array<{ code: string }> };
  return { status: answer.status, type: answer.headers['content-type'], codes: parsed.errors.map((e) => e.code) };
}

const problemOf = (status: number, ...codes: string[]) => ({
  status,
  type: 'application/problem+json; charset=utf-8',
  codes,
});
const key = { 'x-offnd-api-key': 'test-api-key' };

describe('control characters in a phrase', () => {
  it.each(['/abc%00def', '/v1/redirects/a%00b', '/abc%01def', '/a%7Fb', '/a%C2%85b'])(
    'answers 400 VisitLink.PhraseMalformed to the redirect %s',
    async (path) => {
      expect(problem(await send('GET', path))).toEqual(problemOf(400, 'VisitLink.PhraseMalformed'));
    },
  );

  it('answers 400 GetLinkByPhrase.PhraseMalformed to the statistics of a phrase with NUL', async () => {
    expect(problem(await send('GET', '/v1/links/a%00b', key))).toEqual(
      problemOf(400, 'GetLinkByPhrase.PhraseMalformed'),
    );
  });

  it('answers 400 on the stats page of a phrase with NUL', async () => {
    expect(problem(await send('GET', '/s/a%00b'))).toEqual(problemOf(400, 'GetLinkByPhrase.PhraseMalformed'));
  });
});

describe('bad percent-encoding outside the redirect path', () => {
  it.each([
    ['/v1/links/%zz', key],
    ['/s/%zz', {}],
    ['/s/%E0%A4%A', {}],
  ])('answers 400 General.MalformedUrl to %s', async (path, headers) => {
    expect(problem(await send('GET', path, headers))).toEqual(problemOf(400, 'General.MalformedUrl'));
  });
});

describe('a request body', () => {
  it('with a NUL in targetUrl fails its rule', async () => {
    const body = JSON.stringify({ targetUrl: 'https://example.com/a\u0000b', languageId: 0, themeId: 0, formatId: 0 });

    const answer = await send('POST', '/v1/links', jsonHeaders(), Buffer.from(body));

    expect(problem(answer)).toEqual(problemOf(400, 'GenerateLink.TargetUrlMustBeAbsoluteUri'));
  });

  it('with a host longer than any DNS name fails its rule', async () => {
    const targetUrl = `https://${'a'.repeat(254)}/`;
    const body = JSON.stringify({ targetUrl, languageId: 0, themeId: 0, formatId: 0 });

    const answer = await send('POST', '/v1/links', jsonHeaders(), Buffer.from(body));

    expect(problem(answer)).toEqual(problemOf(400, 'GenerateLink.TargetUrlMustBeAbsoluteUri'));
  });

  it.each(['gzip', 'br', 'deflate'])(
    'declared %s but not decodable answers 400 General.UndecodableBody',
    async (encoding) => {
      const answer = await send(
        'POST',
        '/v1/links',
        jsonHeaders({ 'content-encoding': encoding }),
        Buffer.from('{"targetUrl": "not compressed at all"}'),
      );

      expect(problem(answer)).toEqual(problemOf(400, 'General.UndecodableBody'));
    },
  );

  it('that is gzip-compressed JSON is accepted', async () => {
    const body = gzipSync(JSON.stringify({ targetUrl: 'https://example.com', languageId: 0, themeId: 0, formatId: 0 }));

    const answer = await send('POST', '/v1/links', jsonHeaders({ 'content-encoding': 'gzip' }), body);

    expect(answer.status).toBe(201);
  });
});

describe('oversize headers', () => {
  it('get a problem+json 431', async () => {
    const answer = await send('GET', `/${phrase}`, { 'x-padding': 'a'.repeat(100 * 1024) });

    expect(problem(answer)).toEqual(problemOf(431, 'General.HeadersTooLarge'));
  });
});

describe('methods a route does not declare', () => {
  it.each([
    ['DELETE', '/v1/links', 'POST'],
    ['GET', '/v1/links', 'POST'],
    ['PUT', '/v1/links/some-phrase', 'GET, HEAD'],
    ['POST', '/v1/languages', 'GET, HEAD'],
    ['DELETE', '/some-phrase', 'GET, HEAD'],
    ['PATCH', '/v1/redirects/some-phrase', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
    ['POST', '/openapi/v1.json', 'GET, HEAD'],
  ])('%s %s answers 405 General.MethodNotAllowed with Allow: %s', async (method, path, allow) => {
    const answer = await send(method, path, key);

    expect({ ...problem(answer), allow: answer.headers.allow }).toEqual({
      ...problemOf(405, 'General.MethodNotAllowed'),
      allow,
    });
  });

  it('still answers 404 for a path no route declares', async () => {
    expect(problem(await send('DELETE', '/v1/nothing/here', key))).toEqual(problemOf(404, 'General.NotFound'));
  });
});
