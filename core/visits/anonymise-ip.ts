import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * How much of the client address a visit keeps (`VISIT_IP_MODE`):
 * - `full`: as received;
 * - `truncate`: the network only, IPv4 /24 and IPv6 /48 (enough for rough geography and abuse patterns, not
 *   enough to single out a subscriber);
 * - `hash`: `hmac:` + 32 hex digits of HMAC-SHA256 keyed with a secret salt, so visits from one address can
 *   be grouped without storing it. The salt must stay secret: the IPv4 space is small enough to brute-force.
 */
export const VISIT_IP_MODES = ['full', 'truncate', 'hash'] as const;
export type VisitIpMode = (typeof VISIT_IP_MODES)[number];

export const HASHED_IP_PREFIX = 'hmac:';
/** 128 bits of the MAC: collisions are out of reach and the value fits the 64-character column with its prefix. */
const HASH_HEX_DIGITS = 32;

/** Returns the address as stored for `mode`; `null` when there is none or it cannot be truncated safely. */
export function anonymiseIp(ip: string | null | undefined, mode: VisitIpMode, salt = ''): string | null {
  if (ip === null || ip === undefined || ip === '') return null;
  if (mode === 'full') return ip;
  const canonical = canonicalIp(ip);
  if (mode === 'truncate') return canonical ? truncateIp(canonical) : null;
  if (salt === '') throw new Error('VISIT_IP_MODE=hash needs a non-empty salt');
  const mac = createHmac('sha256', salt)
    .update(canonical?.text ?? ip)
    .digest('hex');
  return HASHED_IP_PREFIX + mac.slice(0, HASH_HEX_DIGITS);
}

/** Distinct client addresses remembered by one anonymiser; a flood of new ones starts it afresh. */
export const ANONYMISED_IP_CACHE_MAX = 4096;

/**
 * Checks the salt once at start-up and returns the per-request function the redirect path calls. A client sends
 * many requests from one address, and parsing, truncating or hashing it costs about a microsecond (an HMAC more),
 * so recent answers are remembered; the memory stays bounded by clearing once the cache is full.
 */
export function createIpAnonymiser(mode: VisitIpMode, salt = ''): (ip: string | null | undefined) => string | null {
  if (mode === 'hash' && salt === '') throw new Error('VISIT_IP_MODE=hash needs VISIT_IP_SALT');
  if (mode === 'full') return (ip) => anonymiseIp(ip, mode, salt);
  const known = new Map<string, string | null>();
  return (ip) => {
    if (ip === null || ip === undefined) return null;
    let stored = known.get(ip);
    if (stored === undefined) {
      stored = anonymiseIp(ip, mode, salt);
      if (known.size >= ANONYMISED_IP_CACHE_MAX) known.clear();
      known.set(ip, stored);
    }
    return stored;
  };
}

interface Canonical {
  readonly text: string;
  readonly v4?: readonly number[];
  readonly v6?: readonly number[];
}

/** One spelling per address: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, dual-stack sockets) becomes IPv4, zones go. */
function canonicalIp(ip: string): Canonical | undefined {
  if (isIPv4(ip)) return { text: ip, v4: ip.split('.').map(Number) };
  const address = ip.replace(/%.*$/, '');
  if (!isIPv6(address)) return undefined;
  const groups = parseIPv6(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const v4 = [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff];
    return { text: v4.join('.'), v4 };
  }
  return { text: formatIPv6(groups), v6: groups };
}

function truncateIp(address: Canonical): string {
  if (address.v4) return [...address.v4.slice(0, 3), 0].join('.');
  return formatIPv6([...address.v6!.slice(0, 3), 0, 0, 0, 0, 0]);
}

/** Eight 16-bit groups of a syntactically valid IPv6 address (a dotted IPv4 tail counts as two). */
function parseIPv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const part = (text: string) =>
    text === ''
      ? []
      : text.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = part(head);
  if (tail === undefined) return left;
  const right = part(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; start += 1) {
    let length = 0;
    while (groups[start + length] === 0) length += 1;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
