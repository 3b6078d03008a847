/**
 * Optional `make kind-e2e` step, for a release installed with `shortLinks.enabled=true`: applies a ShortLink,
 * waits until the worker holding the Lease reports it Ready with a phrase, follows that phrase through the api
 * Service, then deletes the ShortLink and waits for the link to answer 410. Reads NAMESPACE, API_BASE_URL
 * (default http://127.0.0.1:30080) and KUBECONFIG (or ~/.kube/config).
 */
type K8s = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

const namespace = process.env.NAMESPACE ?? 'offndat';
const base = (process.env.API_BASE_URL ?? 'http://127.0.0.1:30080').replace(/\/$/, '');
const name = `kind-e2e-${Date.now().toString(36)}`;
const target = 'https://example.com/declared-in-git';
const group = { group: 'offndat.io', version: 'v1alpha1', namespace, plural: 'shortlinks' };
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

const log = (message: string) => console.log(`[shortlink] ${message}`);

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

interface ShortLinkStatus {
  phrase?: string;
  url?: string;
  observedGeneration?: number;
  conditions?: Array<{ type: string; status: string; reason: string; message?: string }>;
}

async function main(): Promise<void> {
  const k8s: K8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  const api = kc.makeApiClient(k8s.CustomObjectsApi);

  await api.createNamespacedCustomObject({
    ...group,
    body: { apiVersion: 'offndat.io/v1alpha1', kind: 'ShortLink', metadata: { name }, spec: { targetUrl: target } },
  });
  log(`applied ShortLink ${namespace}/${name} -> ${target}`);
  try {
    const status = await until('the ShortLink to be Ready with a phrase', async () => {
      const object = (await api.getNamespacedCustomObject({ ...group, name })) as { status?: ShortLinkStatus };
      const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status === 'False') log(`not ready yet: ${ready.reason} ${ready.message ?? ''}`);
      return ready?.status === 'True' && object.status?.phrase ? object.status : undefined;
    });
    log(`Ready: phrase ${status.phrase}, url ${status.url}, observedGeneration ${status.observedGeneration}`);

    const location = await until(`GET ${base}/${status.phrase} to redirect`, async () => {
      const res = await fetch(`${base}/${encodeURIComponent(status.phrase ?? '')}`, {
        redirect: 'manual',
        headers: { 'user-agent': BROWSER },
      });
      return res.status >= 300 && res.status < 400 ? (res.headers.get('location') ?? '') : undefined;
    });
    if (location !== target && location !== new URL(target).href) throw new Error(`redirected to ${location}, not ${target}`);
    log(`followed ${base}/${status.phrase} -> ${location}`);

    await api.deleteNamespacedCustomObject({ ...group, name });
    await until('the deleted ShortLink link to answer 410', async () => {
      const res = await fetch(`${base}/v1/redirects/${encodeURIComponent(status.phrase ?? '')}`, { redirect: 'manual' });
      return res.status === 410 ? true : undefined;
    });
    log('deleted the ShortLink: its link answers 410');
  } catch (error) {
    await api.deleteNamespacedCustomObject({ ...group, name }).catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`[shortlink] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
