import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * Compiles TRUST_PROXY once, with Express's own semantics, so the lean redirect path and Express agree on
 * who the client is: a hop count, true/false, or addresses/CIDRs/presets (loopback, linklocal, uniquelocal).
 */
export function compileTrust(setting: string): { trust: TrustFunction; expressSetting: boolean | number | string[] } {
  const value = setting.trim();
  if (value === 'true') return { trust: () => true, expressSetting: true };
  if (value === 'false' || value === '') return { trust: () => false, expressSetting: false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return { trust: (_address, hop) => hop < hops, expressSetting: hops };
  }
  const list = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return { trust: proxyAddr.compile(list), expressSetting: list };
}

/** IPv4 clients on a dual-stack socket appear as `::ffff:a.b.c.d`; visits store the plain IPv4 form. */
export function clientIp(req: IncomingMessage, trust: TrustFunction): string {
  const address = proxyAddr(req, trust);
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
