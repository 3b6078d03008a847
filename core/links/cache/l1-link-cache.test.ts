import { L1LinkCache } from './l1-link-cache';

const link = {
  id: '7d3f1c2a-0000-4000-8000-000000000001',
  targetUrl: 'https://example.com/a',
  languageId: 1,
  themeId: 0,
};

function cacheWithClock(overrides: Partial<ConstructorParameters<typeof L1LinkCache>[0]> = {}) {
  let time = 1_000_000;
  const cache = new L1LinkCache({
    maxEntries: 100,
    maxBytes: 1_000_000,
    ttlMs: 30_000,
    negativeMaxEntries: 10,
    negativeTtlMs: 5_000,
    now: () => time,
    ...overrides,
  });
  return { cache, advance: (ms: number) => (time += ms) };
}

describe('L1LinkCache', () => {
  it('answers undefined for a phrase it never saw', () => {
    const { cache } = cacheWithClock();

    expect(cache.get('unknown-phrase')).toBeUndefined();
  });

  it('keeps a link until its TTL passes', () => {
    const { cache, advance } = cacheWithClock();
    cache.set('very-smelly-penguin', link);

    advance(29_999);
    const before = cache.get('very-smelly-penguin');
    advance(2);
    const after = cache.get('very-smelly-penguin');

    expect(before).toEqual(link);
    expect(after).toBeUndefined();
  });

  it('answers null for a known-absent phrase until the shorter negative TTL passes', () => {
    const { cache, advance } = cacheWithClock();
    cache.setAbsent('no-such-phrase');

    const before = cache.get('no-such-phrase');
    advance(5_001);

    expect(before).toBeNull();
    expect(cache.get('no-such-phrase')).toBeUndefined();
  });

  it('replaces a negative entry when the link becomes known, and the other way round', () => {
    const { cache } = cacheWithClock();
    cache.setAbsent('fresh-phrase');

    cache.set('fresh-phrase', link);
    const afterSet = cache.get('fresh-phrase');
    cache.setAbsent('fresh-phrase');

    expect(afterSet).toEqual(link);
    expect(cache.get('fresh-phrase')).toBeNull();
  });

  it('never evicts links to make room for unknown phrases', () => {
    const { cache } = cacheWithClock({ maxEntries: 3, negativeMaxEntries: 2 });
    cache.set('hot-link', link);

    for (let i = 0; i < 1_000; i += 1) cache.setAbsent(`random-${i}`);

    expect(cache.get('hot-link')).toEqual(link);
    expect(cache.size).toEqual({ links: 1, absent: 2 });
  });

  it('evicts the least recently used link beyond the entry bound', () => {
    const { cache } = cacheWithClock({ maxEntries: 2 });
    cache.set('a', link);
    cache.set('b', link);
    cache.get('a');

    cache.set('c', link);

    expect(cache.get('a')).toEqual(link);
    expect(cache.get('b')).toBeUndefined();
  });

  it('bounds memory as well as entries, so long target URLs cannot exhaust the heap', () => {
    const { cache } = cacheWithClock({ maxEntries: 1_000, maxBytes: 100_000 });
    const longLink = { ...link, targetUrl: `https://example.com/${'x'.repeat(4_000)}` };

    for (let i = 0; i < 100; i += 1) cache.set(`long-${i}`, longLink);

    expect(cache.size.links).toBeLessThan(15);
  });

  it('forgets both kinds of entry on delete and clear', () => {
    const { cache } = cacheWithClock();
    cache.set('a', link);
    cache.setAbsent('b');
    cache.set('c', link);

    cache.delete('a');
    cache.delete('b');
    const afterDelete = [cache.get('a'), cache.get('b'), cache.get('c')];
    cache.clear();

    expect(afterDelete).toEqual([undefined, undefined, link]);
    expect(cache.size).toEqual({ links: 0, absent: 0 });
  });
});
