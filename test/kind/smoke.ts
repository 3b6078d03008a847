/**
 * Smoke test against a real cluster (scripts/k8s/kind-e2e.sh runs it after `helm install`): waits until the
 * api and worker Deployments are ready, port-forwards to an api pod through the Kubernetes API, then creates a
 * link, follows its short URL and reads its stats until the visit has gone through RabbitMQ and the worker.
 *
 * Environment: API_BASE_URL (the api Service as the host reaches it, e.g. its NodePort; unset = a port-forward to
 * an api pod), NAMESPACE (offndat), RELEASE (offndat), FULLNAME (the chart's object prefix; equals the release
 * name when that contains "offndat"),
 * API_KEYS_SECRET / API_KEYS_KEY (where the keys live; default <fullname>-api-keys / api-keys; an absent
 * Secret means the API is open), TIMEOUT_SECONDS (600). Uses the current kubeconfig context.
 */
import net from 'node:net';

type K8s = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });
type KubeConfig = InstanceType<K8s['KubeConfig']>;

const namespace = process.env.NAMESPACE ?? 'offndat';
const release = process.env.RELEASE ?? 'offndat';
const fullname = process.env.FULLNAME ?? (release.includes('offndat') ? release : `${release}-offndat`);
const keysSecret = process.env.API_KEYS_SECRET ?? `${fullname}-api-keys`;
const keysKey = process.env.API_KEYS_KEY ?? 'api-keys';
const deadline = Date.now() + Number(process.env.TIMEOUT_SECONDS ?? '600') * 1000;
const targetUrl = `https://example.com/offndat-kind-smoke/${Date.now()}`;

function log(message: string): void {
  process.stdout.write(`[smoke] ${message}\n`);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, intervalMs = 3000): Promise<T> {
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
}

async function waitForDeployment(k8s: K8s, kc: KubeConfig, name: string): Promise<void> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await until(`deployment ${name} to be ready`, async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    const wanted = d.spec?.replicas ?? 1;
    const ready = d.status?.readyReplicas ?? 0;
    const updated = d.status?.updatedReplicas ?? 0;
    return ready >= wanted && updated >= wanted ? true : undefined;
  });
  log(`deployment ${name} is ready`);
}

async function apiKey(k8s: K8s, kc: KubeConfig): Promise<string | undefined> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  try {
    const secret = await core.readNamespacedSecret({ name: keysSecret, namespace });
    const encoded = secret.data?.[keysKey];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8').split(',')[0]?.trim();
  } catch {
    return undefined; // no Secret: the API runs without keys
  }
}

/** A local TCP port whose connections are tunnelled to `port` of a ready api pod. */
async function portForward(k8s: K8s, kc: KubeConfig, port: number): Promise<{ base: string; close: () => void }> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release},app.kubernetes.io/component=api` });
  const pod = pods.items.find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (pod?.metadata?.name === undefined) throw new Error('no ready api pod');
  const podName = pod.metadata.name;
  const forward = new k8s.PortForward(kc);
  const server = net.createServer((socket) => {
    forward.portForward(namespace, podName, [port], socket, null, socket).catch((error: unknown) => {
      log(`port-forward error: ${(error as Error).message}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  log(`forwarding 127.0.0.1:${address.port} -> ${podName}:${port}`);
  return { base: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

async function main(): Promise<void> {
  const k8s: K8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();

  await waitForDeployment(k8s, kc, `${fullname}-api`);
  await waitForDeployment(k8s, kc, `${fullname}-worker`);
  const key = await apiKey(k8s, kc);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { 'x-offnd-api-key': key } : {}) };
  const { base, close } = process.env.API_BASE_URL
    ? { base: process.env.API_BASE_URL.replace(/\/$/, ''), close: () => undefined }
    : await portForward(k8s, kc, 8080);
  log(`api at ${base}`);
  try {
    const created = await until('POST /v1/links to answer 201', async () => {
      const res = await fetch(`${base}/v1/links`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ targetUrl, languageId: 0, themeId: 0, formatId: 0 }),
      });
      if (res.status !== 201) throw new Error(`POST /v1/links answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { url: string; statsUrl: string };
    });
    const phrase = new URL(created.url).pathname.split('/').filter(Boolean).pop() ?? '';
    log(`created ${created.url}`);

    // A browser's User-Agent: known bots and link previews are redirected but not counted as visits.
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' };
    const redirect = await fetch(`${base}/${phrase}`, { redirect: 'manual', headers: browser });
    const location = redirect.headers.get('location');
    if (redirect.status < 300 || redirect.status > 308 || location === null || new URL(location).href !== new URL(targetUrl).href) {
      throw new Error(`GET /${phrase} answered ${redirect.status} -> ${location ?? '(no location)'}, expected a redirect to ${targetUrl}`);
    }
    log(`GET /${phrase} -> ${redirect.status} ${location}`);

    // Visits are counted asynchronously (api -> RabbitMQ -> worker -> PostgreSQL): poll the stats.
    const visits = await until('the visit to appear in the stats', async () => {
      const res = await fetch(`${base}/v1/links/${phrase}`, { headers });
      if (res.status !== 200) throw new Error(`GET /v1/links/${phrase} answered ${res.status}`);
      const stats = (await res.json()) as { targetUrl: string; visits: number };
      if (stats.targetUrl !== targetUrl) throw new Error(`stats report targetUrl ${stats.targetUrl}`);
      return stats.visits >= 1 ? stats.visits : undefined;
    });
    log(`stats report ${visits} visit(s): the api, RabbitMQ, the worker and PostgreSQL work together`);
  } finally {
    close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[smoke] FAILED: ${(error as Error).message}\n`);
  process.exit(1);
});
