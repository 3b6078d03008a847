import { bootApi, TEST_API_KEY, type BootedApi } from './support/boot-api';
import { sendRaw, type RawAnswer } from './support/raw-http';

// Creation by API clients is served ahead of Express (api/links/lean-create.ts); browsers and compressed bodies
// still go through Express. Each request below is sent both ways and must be answered alike. A Content-Encoding of
// `identity` changes nothing for Express's body parser, but keeps the request off the lean path.
let api: BootedApi;

beforeAll(async () => {
  api = await bootApi({ env: { RATE_LIMIT_ENABLED: 'true', BODY_LIMIT: '1kb' } });
});
afterAll(() => api.close());

const send = (headers: Record<string, string>, body: Buffer | string) =>
  sendRaw(api.baseUrl, 'POST', '/v1/links', headers, body);

/** What must match between the two paths: everything but the drawn phrase and the per-request ids. */
function outline(answer: RawAnswer) {
  const parsed = JSON.parse(answer.body) as Record<string, unknown>;
  const location = answer.headers.location;
  return {
    status: answer.status,
    contentType: answer.headers['content-type'],
    version: answer.headers['api-supported-versions'],
    vary: answer.headers.vary,
    rateLimit: answer.headers['ratelimit-limit'] !== undefined,
    location: location === undefined ? undefined : location.startsWith(`${api.baseUrl}/`),
    keys: Object.keys(parsed).sort(),
    codes: Array.isArray(parsed.errors) ? (parsed.errors as Array<{ code: string }>).map((e) => e.code) : undefined,
  };
}

const valid = JSON.stringify({ targetUrl: 'https://example.com/a', languageId: 0, themeId: 0, formatId: 0 });
const json = { 'content-type': 'application/json', 'x-offnd-api-key': TEST_API_KEY };

const cases: Array<[string, Record<string, string>, Buffer | string, number]> = [
  ['a valid body', json, valid, 201],
  ['a valid body with the UTF-8 charset', { ...json, 'content-type': 'application/json; charset=utf-8' }, valid, 201],
  ['a valid body after a byte-order mark', json, `\uFEFF${valid}`, 201],
  ['a body sent in pieces', { ...json, 'transfer-encoding': 'chunked' }, valid, 201],
  ['malformed JSON', json, '{"targetUrl":', 400],
  ['an empty body', json, '', 400],
  ['a JSON array', json, '[]', 400],
  ['a JSON string', json, '"https://example.com"', 400],
  ['fields that break their rules', json, JSON.stringify({ targetUrl: 'ftp://x', languageId: 99 }), 400],
  ['a body past the limit', json, JSON.stringify({ targetUrl: `https://e.com/${'a'.repeat(2000)}` }), 413],
  ['no API key', { 'content-type': 'application/json' }, valid, 401],
  ['a wrong API key', { ...json, 'x-offnd-api-key': 'not-the-key' }, valid, 401],
];

describe('POST /v1/links ahead of Express', () => {
  it.each(cases)('answers %s as Express does', async (_case, headers, body, status) => {
    const lean = await send(headers, body);
    const viaExpress = await send({ ...headers, 'content-encoding': 'identity' }, body);

    expect(outline(lean)).toEqual(outline(viaExpress));
    expect(lean.status).toBe(status);
  });

  it('counts its requests under the same route as Express', async () => {
    const created = async () => {
      const { values } = await api.deps.metrics.requestsTotal.get();
      return values
        .filter((v) => v.labels.method === 'POST' && v.labels.route === '/v1/links' && v.labels.status_code === '201')
        .reduce((sum, v) => sum + v.value, 0);
    };
    const before = await created();

    await send(json, valid);
    await send({ ...json, 'content-encoding': 'identity' }, valid);

    // Requests are counted when their response closes, just after the client has it.
    for (let i = 0; i < 100 && (await created()) < before + 2; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await created()).toBe(before + 2);
  });
});
