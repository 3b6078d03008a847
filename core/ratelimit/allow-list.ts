import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** True when the client address is trusted and must never be rate limited (load generators, internal probes). */
export type AllowList = (ip: string | undefined) => boolean;

interface Ipv4Rule {
  readonly network: number;
  readonly mask: number;
}

const MAPPED_V4_PREFIX = '::ffff:';

/**
 * Parses `1.2.3.4`, `10.0.0.0/8`, `::1`, `2001:db8::/32`. Returns undefined for anything else so config
 * validation can name the bad entry.
 */
export function parseAllowListEntry(entry: string): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined) return undefined;
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, prefix, family } : undefined;
}

/**
 * Builds the matcher once at start-up. IPv4 (the common case, also when written as `::ffff:a.b.c.d`) is matched
 * with integer masks because `BlockList.check` costs over a microsecond per call, which matters on the redirect
 * path; IPv6 rules, which are rare, go through `BlockList`.
 */
export function createAllowList(entries: readonly string[]): AllowList {
  const v4: Ipv4Rule[] = [];
  const v6 = new BlockList();
  let hasV6 = false;
  for (const entry of entries) {
    const parsed = parseAllowListEntry(entry);
    if (parsed === undefined) throw new Error(`Invalid allow-list entry: ${entry}`);
    if (parsed.family === 4) {
      const mask = parsed.prefix === 0 ? 0 : (0xffff_ffff << (32 - parsed.prefix)) >>> 0;
      v4.push({ network: (ipv4ToInt(parsed.address) & mask) >>> 0, mask });
    } else {
      v6.addSubnet(parsed.address, parsed.prefix, 'ipv6');
      hasV6 = true;
    }
  }
  if (v4.length === 0 && !hasV6) return () => false;

  return (ip) => {
    if (ip === undefined || ip.length === 0) return false;
    const bare = ip.startsWith(MAPPED_V4_PREFIX) && ip.includes('.') ? ip.slice(MAPPED_V4_PREFIX.length) : ip;
    const value = ipv4ToInt(bare);
    if (value >= 0) {
      for (const rule of v4) if ((value & rule.mask) >>> 0 === rule.network) return true;
      return false;
    }
    return hasV6 && isIPv6(bare) && v6.check(bare, 'ipv6');
  };
}

/** Dotted quad to an unsigned 32-bit integer without allocating; -1 when the text is not one. */
export function ipv4ToInt(text: string): number {
  let result = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      result = result * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      if (digits === 3) return -1;
      octet = octet * 10 + (code - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return result * 256 + octet;
}
