import { bootApi, createLink, jsonHeaders, type BootedApi } from './support/boot-api';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const apis: BootedApi[] = [];

async function boot(env: Record<string, string> = {}): Promise<BootedApi> {
  const api = await bootApi({
    env: { RATE_LIMIT_API_IP_PER_MIN: '3', RATE_LIMIT_API_QUEUE: '0', API_KEYS: '', ...env },
  });
  apis.push(api);
  return api;
}

afterAll(async () => {
  for (const api of apis.splice(0)) await api.close();
});

/** The address stored with the visit of one redirect that sent `forwardedFor`. */
async function recordedAddress(api: BootedApi, forwardedFor: string): Promise<string | null> {
  const link = await createLink(api.baseUrl);
  await fetch(`${api.baseUrl}/${encodeURIComponent(link.phrase)}`, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': forwardedFor, 'user-agent': BROWSER },
  });
  await api.flushVisits();
  const stats = (await (
    await fetch(`${api.baseUrl}/v1/links/${encodeURIComponent(link.phrase)}`, { headers: jsonHeaders() })
  ).json()) as { recentVisits: Array<{ ipAddress: string | null }> };
  return stats.recentVisits[0]?.ipAddress ?? null;
}

describe('client addresses, by default', () => {
  it('trusts no proxy: a rotating X-Forwarded-For does not escape the per-IP limit', async () => {
    const api = await boot();

    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) {
      const response = await fetch(`${api.baseUrl}/v1/themes`, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(response.status);
    }

    // Three a minute: whatever the first request found (the limiter's Redis may still be connecting), the last
    // two are over the budget, and would not be if each forwarded address had one of its own.
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('stores the peer, anonymised to its network, whatever it forwards', async () => {
    const api = await boot();

    expect(await recordedAddress(api, '203.0.113.7')).toBe('127.0.0.0');
  });
});

describe('client addresses behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  it('takes the forwarded client, and keeps the full address only when VISIT_IP_MODE=full opts in', async () => {
    const full = await boot({ TRUST_PROXY: 'loopback', VISIT_IP_MODE: 'full' });
    const anonymised = await boot({ TRUST_PROXY: 'loopback' });

    expect(await recordedAddress(full, '203.0.113.7')).toBe('203.0.113.7');
    expect(await recordedAddress(anonymised, '203.0.113.7')).toBe('203.0.113.0');
  });

  it.each(['not-an-ip', '<script>alert(1)</script>', '203.0.113.7, not-an-ip', '999.1.1.1'])(
    'ignores a forwarded entry that is not an IP address (%s): the last valid hop is the client',
    async (forwardedFor) => {
      const api = await boot({ TRUST_PROXY: 'loopback', VISIT_IP_MODE: 'full' });

      expect(await recordedAddress(api, forwardedFor)).toBe('127.0.0.1');
    },
  );

  it('does not let an invalid forwarded entry rotate the per-IP limit either', async () => {
    const api = await boot({ TRUST_PROXY: 'loopback' });

    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) {
      const response = await fetch(`${api.baseUrl}/v1/themes`, { headers: { 'x-forwarded-for': `garbage-${i}` } });
      statuses.push(response.status);
    }

    // Three a minute: whatever the first request found (the limiter's Redis may still be connecting), the last
    // two are over the budget, and would not be if each forwarded address had one of its own.
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});
