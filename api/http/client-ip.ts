import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

export type TrustFunction = (address: string, hop: number) => boolean;

/** TRUST_PROXY=false: the peer is the client, whatever it forwards. */
export const NO_PROXY: TrustFunction = () => false;

/**
 * Compiles TRUST_PROXY once, with Express's own semantics, so the lean redirect path and Express agree on
 * who the client is: a hop count, true/false, or addresses/CIDRs/presets (loopback, linklocal, uniquelocal).
 */
export function compileTrust(setting: string): { trust: TrustFunction; expressSetting: boolean | number | string[] } {
  const value = setting.trim();
  if (value === 'true') return { trust: () => true, expressSetting: true };
  if (value === 'false' || value === '') return { trust: NO_PROXY, expressSetting: false };
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

/**
 * The client's address: the peer's, or, behind trusted proxies, the nearest X-Forwarded-For entry they vouch
 * for. An entry that is not an IP address (`not-an-ip`, `<script>`) ends the walk: what lies beyond it was
 * written by whoever sent the request, so the last valid hop is the client. IPv4 clients on a dual-stack
 * socket appear as `::ffff:a.b.c.d`; visits store the plain IPv4 form.
 */
export function clientIp(req: IncomingMessage, trust: TrustFunction): string {
  const address = trust === NO_PROXY ? (req.socket.remoteAddress ?? '') : forwardedClient(req, trust);
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function forwardedClient(req: IncomingMessage, trust: TrustFunction): string {
  // The peer first, then X-Forwarded-For from the nearest hop outwards, up to the first hop not trusted.
  const chain = proxyAddr.all(req, trust);
  let client = chain[0] ?? '';
  for (let hop = 1; hop < chain.length; hop += 1) {
    const candidate = chain[hop]!;
    if (isIP(candidate) === 0) break;
    client = candidate;
  }
  return client;
}
