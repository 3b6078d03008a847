import { createAllowList, ipv4ToInt, parseAllowListEntry } from './allow-list';

describe('createAllowList', () => {
  it('matches single IPv4 addresses and CIDR ranges, also in IPv4-mapped IPv6 form', () => {
    const allowed = createAllowList(['127.0.0.1/32', '10.0.0.0/8', '192.168.1.7']);

    expect(allowed('127.0.0.1')).toBe(true);
    expect(allowed('::ffff:127.0.0.1')).toBe(true);
    expect(allowed('10.255.3.4')).toBe(true);
    expect(allowed('192.168.1.7')).toBe(true);
    expect(allowed('127.0.0.2')).toBe(false);
    expect(allowed('11.0.0.1')).toBe(false);
    expect(allowed('192.168.1.70')).toBe(false);
  });

  it('matches IPv6 addresses and ranges', () => {
    const allowed = createAllowList(['::1', '2001:db8::/32']);

    expect(allowed('::1')).toBe(true);
    expect(allowed('2001:db8:abcd::5')).toBe(true);
    expect(allowed('2001:db9::1')).toBe(false);
    expect(allowed('127.0.0.1')).toBe(false);
  });

  it('allows everyone with a /0 range and no one when empty', () => {
    expect(createAllowList(['0.0.0.0/0'])('203.0.113.9')).toBe(true);
    expect(createAllowList([])('127.0.0.1')).toBe(false);
  });

  it('never matches a missing or malformed address', () => {
    const allowed = createAllowList(['0.0.0.0/0', '::/0']);

    expect(allowed(undefined)).toBe(false);
    expect(allowed('')).toBe(false);
    expect(allowed('unknown')).toBe(false);
  });

  it('refuses invalid entries', () => {
    expect(() => createAllowList(['300.1.1.1'])).toThrow('Invalid allow-list entry');
    expect(parseAllowListEntry('1.2.3.4/33')).toBeUndefined();
    expect(parseAllowListEntry('::1/129')).toBeUndefined();
    expect(parseAllowListEntry('1.2.3.4/8/8')).toBeUndefined();
    expect(parseAllowListEntry('1.2.3.4/x')).toBeUndefined();
    expect(parseAllowListEntry(' 10.0.0.0/8 ')).toEqual({ address: '10.0.0.0', prefix: 8, family: 4 });
  });
});

describe('ipv4ToInt', () => {
  it('converts dotted quads and rejects everything else', () => {
    expect(ipv4ToInt('0.0.0.0')).toBe(0);
    expect(ipv4ToInt('255.255.255.255')).toBe(0xffff_ffff);
    expect(ipv4ToInt('10.1.2.3')).toBe(0x0a01_0203);
    for (const bad of ['1.2.3', '1.2.3.4.5', '1..2.3', '256.1.1.1', '1.2.3.4 ', '::1', '1.2.3.1000', '']) {
      expect(ipv4ToInt(bad)).toBe(-1);
    }
  });
});
