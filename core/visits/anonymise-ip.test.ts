import { createHmac } from 'node:crypto';
import { ANONYMISED_IP_CACHE_MAX, anonymiseIp, createIpAnonymiser } from './anonymise-ip';

describe('anonymiseIp', () => {
  it('keeps the address untouched in full mode', () => {
    expect(anonymiseIp('203.0.113.77', 'full')).toBe('203.0.113.77');
    expect(anonymiseIp('::ffff:203.0.113.77', 'full')).toBe('::ffff:203.0.113.77');
  });

  it('returns null when there is no address, whatever the mode', () => {
    expect(anonymiseIp(null, 'full')).toBeNull();
    expect(anonymiseIp(undefined, 'truncate')).toBeNull();
    expect(anonymiseIp('', 'hash', 'salt')).toBeNull();
  });

  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['10.1.2.255', '10.1.2.0'],
    ['::ffff:203.0.113.77', '203.0.113.0'],
    ['::FFFF:CB00:714D', '203.0.113.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:0DB8:0000:0001:0000:0000:0000:0001', '2001:db8::'],
    ['fe80::1%eth0', 'fe80::'],
    ['::1', '::'],
    ['2001:db8:1::1.2.3.4', '2001:db8:1::'],
  ])('truncates %s to its network %s', (ip, network) => {
    expect(anonymiseIp(ip, 'truncate')).toBe(network);
  });

  it('stores nothing in truncate mode when the value is not an address', () => {
    expect(anonymiseIp('unknown', 'truncate')).toBeNull();
    expect(anonymiseIp('1.2.3.4.5', 'truncate')).toBeNull();
  });

  it('hashes with HMAC-SHA256 of the canonical address, prefixed and cut to 32 hex digits', () => {
    const expected = 'hmac:' + createHmac('sha256', 'pepper').update('203.0.113.77').digest('hex').slice(0, 32);

    expect(anonymiseIp('203.0.113.77', 'hash', 'pepper')).toBe(expected);
    expect(anonymiseIp('::ffff:203.0.113.77', 'hash', 'pepper')).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(64);
  });

  it('gives one hash per IPv6 address however it is spelt, and another one for another salt', () => {
    const short = anonymiseIp('2001:db8::1', 'hash', 'pepper');

    expect(anonymiseIp('2001:0DB8:0:0:0:0:0:0001', 'hash', 'pepper')).toBe(short);
    expect(anonymiseIp('2001:db8::1', 'hash', 'salt')).not.toBe(short);
  });

  it('refuses to hash without a salt', () => {
    expect(() => anonymiseIp('203.0.113.77', 'hash')).toThrow();
    expect(() => createIpAnonymiser('hash', '')).toThrow();
    expect(createIpAnonymiser('truncate')('203.0.113.77')).toBe('203.0.113.0');
  });
});

describe('createIpAnonymiser', () => {
  it.each(['truncate', 'hash'] as const)(
    'answers %s as anonymiseIp does, for repeated and new addresses past its cache',
    (mode) => {
      const anonymise = createIpAnonymiser(mode, 'pepper');
      const addresses = Array.from({ length: ANONYMISED_IP_CACHE_MAX + 100 }, (_, i) =>
        i % 3 === 0
          ? `2001:db8:${(i % 65536).toString(16)}::${i % 7}`
          : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      );
      const expected = addresses.map((ip) => anonymiseIp(ip, mode, 'pepper'));

      const first = addresses.map(anonymise);
      const again = addresses.map(anonymise);

      expect(first).toEqual(expected);
      expect(again).toEqual(expected);
    },
  );

  it('keeps no address at all when there is none or it is not one', () => {
    const anonymise = createIpAnonymiser('truncate');

    expect([anonymise(null), anonymise(undefined), anonymise(''), anonymise('unknown'), anonymise('unknown')]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
