import { GUID } from '../messaging/consumer-messages';
import { VISIT_IDS_PER_PREFIX, createVisitIdSource } from './visit-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createVisitIdSource', () => {
  it('makes version 4 UUIDs the message schema accepts', () => {
    const next = createVisitIdSource();

    const ids = Array.from({ length: 1000 }, next);

    for (const id of ids) {
      expect(id).toMatch(UUID_V4);
      expect(id).toMatch(GUID);
    }
  });

  it('never repeats an id, within a prefix or across prefixes', () => {
    const next = createVisitIdSource();
    const seen = new Set<string>();

    for (let i = 0; i < 200_000; i += 1) seen.add(next());

    expect(seen.size).toBe(200_000);
  });

  it('sets the version and variant bits whatever the random bytes are', () => {
    for (const fill of [0x00, 0xff, 0x5a]) {
      const next = createVisitIdSource((size) => Buffer.alloc(size, fill));

      expect(next()).toMatch(UUID_V4);
    }
  });

  it('draws a new random prefix once a prefix has given all its ids', () => {
    let draws = 0;
    const next = createVisitIdSource((size) => Buffer.alloc(size, (draws += 1)));
    const first = next();

    let last = first;
    for (let i = 1; i < VISIT_IDS_PER_PREFIX; i += 1) last = next();
    const afterRollover = next();

    expect(last.slice(0, 30)).toBe(first.slice(0, 30));
    expect(last.slice(30)).toBe('ffffff');
    expect(afterRollover.slice(0, 30)).not.toBe(first.slice(0, 30));
    expect(afterRollover.slice(30)).toBe('000000');
    expect(draws).toBe(2);
  });
});
