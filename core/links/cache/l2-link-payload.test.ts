import { ABSENT_PAYLOAD, decodePayload, encodeLink } from './l2-link-payload';

const link = {
  id: '7d3f1c2a-0000-4000-8000-000000000001',
  targetUrl: 'https://example.com/a',
  languageId: 1,
  themeId: 2,
};

describe('L2 link payload', () => {
  it('round-trips a link and stores only its four fields', () => {
    const encoded = encodeLink({ ...link, phrase: 'extra', createdAt: new Date() } as typeof link);

    expect(JSON.parse(encoded)).toEqual(link);
    expect(decodePayload(encoded)).toEqual({ kind: 'link', link });
  });

  it('reads a missing key as a miss and the absent marker as known absence', () => {
    expect(decodePayload(null)).toEqual({ kind: 'miss' });
    expect(decodePayload(ABSENT_PAYLOAD)).toEqual({ kind: 'absent' });
  });

  it.each([
    ['not JSON', 'https://example.com'],
    ['a JSON string', '"https://example.com"'],
    ['a wrong type', JSON.stringify({ ...link, languageId: '1' })],
    ['a missing field', JSON.stringify({ id: link.id, targetUrl: link.targetUrl, languageId: 1 })],
    ['an empty target', JSON.stringify({ ...link, targetUrl: '' })],
    ['null', 'null'],
  ])('treats %s as garbage', (_case, value) => {
    expect(decodePayload(value)).toEqual({ kind: 'garbage' });
  });
});
