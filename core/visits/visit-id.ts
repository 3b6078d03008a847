import { randomBytes } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Ids drawn under one random prefix before the next is drawn: the low 24 bits count. */
export const VISIT_IDS_PER_PREFIX = 1 << 24;

/**
 * Visit ids in UUID form (version 4, RFC 4122 variant, what the `visit_id uuid` column and the message schema take),
 * at a few nanoseconds each instead of `randomUUID()`'s hundred and more on every redirect: 98 random bits drawn
 * once per 16.7 million ids, then a counter in the last six hex digits. Ids only need to be unique (they make a
 * redelivered visit count once), and two prefixes collide with a chance of 2^-98; nobody outside sees them.
 */
export function createVisitIdSource(random: (size: number) => Buffer = randomBytes): () => string {
  let prefix = '';
  let next = VISIT_IDS_PER_PREFIX;
  const draw = () => {
    const b = random(13);
    const hex = (i: number) => HEX[b[i]!]!;
    // Byte 6's high nibble is the version (4), byte 8's two high bits the variant (10).
    prefix =
      `${hex(0)}${hex(1)}${hex(2)}${hex(3)}-${hex(4)}${hex(5)}-4${HEX[b[6]! & 0x0f]!.slice(1)}${hex(7)}-` +
      `${HEX[(b[8]! & 0x3f) | 0x80]!}${hex(9)}-${hex(10)}${hex(11)}${hex(12)}`;
    next = 0;
  };
  return () => {
    if (next === VISIT_IDS_PER_PREFIX) draw();
    const n = next;
    next += 1;
    return prefix + HEX[n >>> 16]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
  };
}
