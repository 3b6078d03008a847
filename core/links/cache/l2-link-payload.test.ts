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

  it('keeps an expiry and drops fields it does not know', () => {
    const stored = JSON.stringify({ ...link, expiresAt: 1_900_000_000_000, note: 'x' });

    expect(decodePayload(stored)).toEqual({ kind: 'link', link: { ...link, expiresAt: 1_900_000_000_000 } });
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
    ['an array', JSON.stringify([link])],
    ['a fractional id', JSON.stringify({ ...link, themeId: 2.5 })],
    ['an empty id', JSON.stringify({ ...link, id: '' })],
    ['an id longer than any', JSON.stringify({ ...link, id: 'x'.repeat(65) })],
    [
      'a target longer than any Location',
      JSON.stringify({ ...link, targetUrl: `https://e.com/${'a'.repeat(70_000)}` }),
    ],
    ['a past-zero expiry', JSON.stringify({ ...link, expiresAt: 0 })],
    ['an expiry as text', JSON.stringify({ ...link, expiresAt: '1700000000000' })],
  ])('treats %s as garbage', (_case, value) => {
    expect(decodePayload(value)).toEqual({ kind: 'garbage' });
  });
});
