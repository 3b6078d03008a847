import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startControlPlane, stopControlPlane, type ControlPlane } from '../chart/support/control-plane';
import { createKubeApi, type KubeApi } from '../chart/support/kube-api';
import type { KubeObject } from '../chart/support/manifests';
import { ensureK8sTools, TOOLS_TIMEOUT_MS } from '../chart/support/tools';
import { createTestVhost, type TestVhost } from '../support/amqp';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { repoRoot, startService, type ServiceProcess } from '../support/processes';
import { createTestRedis, type TestRedis } from '../support/redis';

/**
 * Two worker processes with the reconciler on, against a real kube-apiserver (scripts/k8s/apiserver.sh) and the
 * test PostgreSQL: ShortLinks become links, changes follow, deletions delete, status is written, and only the
 * replica holding the Lease acts. Serial: the control plane is shared with the chart install tests.
 */
const namespace = `offndat-shortlinks-${Date.now().toString(36)}`;
const BASE = `/apis/offndat.io/v1alpha1/namespaces/${namespace}/shortlinks`;
let plane: ControlPlane;
let api: KubeApi;
let db: TestDatabase;
let redis: TestRedis;
let vhost: TestVhost;
const workers = new Map<string, ServiceProcess>();

interface ShortLink extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number; finalizers?: string[] };
  status?: {
    phrase?: string;
    url?: string;
    observedGeneration?: number;
    conditions?: Array<{ type: string; status: string; reason: string }>;
  };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function startWorker(identity: string): ServiceProcess {
  const worker = startService('worker/main.ts', {
    DATABASE_URL: db.url,
    AMQP_URL: vhost.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    METRICS_PORT: '0',
    SHORTLINKS_ENABLED: 'true',
    SHORTLINKS_NAMESPACE: namespace,
    SHORTLINKS_LEASE_DURATION_SEC: '4',
    POD_NAME: identity,
    KUBECONFIG: plane.kubeconfig,
    BASE_URL: 'https://sho.rt',
  });
  workers.set(identity, worker);
  return worker;
}

const shortLink = (name: string) =>
  api.get('offndat.io/v1alpha1', 'ShortLink', name, namespace) as Promise<ShortLink | undefined>;
const apply = (name: string, spec: Record<string, unknown>) =>
  api.apply({
    apiVersion: 'offndat.io/v1alpha1',
    kind: 'ShortLink',
    metadata: { name, namespace },
    spec,
  });
const ready = (link: ShortLink | undefined, generation: number) =>
  link?.status?.observedGeneration === generation &&
  link.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const leaseHolder = async () => {
  const lease = (await api.get('coordination.k8s.io/v1', 'Lease', 'offndat-shortlinks', namespace)) as
    { spec?: { holderIdentity?: string } } | undefined;
  return lease?.spec?.holderIdentity ?? '';
};
const linkRow = async (owner: string) =>
  (
    await db.pools.primary.query<{ phrase: string; target_url: string; is_deleted: boolean; disabled_at: Date | null }>(
      'SELECT phrase, target_url, is_deleted, disabled_at FROM links WHERE owner = $1 ORDER BY created_at DESC LIMIT 1',
      [owner],
    )
  ).rows[0];
const reconciledBy = (identity: string) =>
  workers.get(identity)?.output().includes('"msg":"ShortLink reconciled"') ?? false;

beforeAll(async () => {
  await ensureK8sTools(['etcd', 'kube-apiserver']);
  plane = await startControlPlane();
  api = createKubeApi(plane.url, plane.token);
  const crd = parse(readFileSync(join(repoRoot, 'charts/offndat/files/shortlink-crd.yaml'), 'utf8')) as KubeObject;
  await api.apply(crd);
  await until(
    () => api.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'shortlinks.offndat.io'),
    (c) =>
      (
        c as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined
      )?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') === true,
    'the CRD is established',
  );
  await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
  redis = createTestRedis();
  for (const identity of ['worker-a', 'worker-b']) startWorker(identity);
  await Promise.all([...workers.values()].map((w) => w.waitForLog('worker metrics and probes listening')));
}, TOOLS_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([...workers.values()].map((w) => w.stop()));
  await api?.request('DELETE', `/api/v1/namespaces/${namespace}`).catch(() => undefined);
  await Promise.all([db?.drop(), vhost?.drop(), redis?.close()]);
  if (plane) await stopControlPlane(plane);
});

describe('ShortLink reconciler', () => {
  let holder: string;

  it('lets exactly one replica hold the Lease', async () => {
    holder = await until(leaseHolder, (h) => h === 'worker-a' || h === 'worker-b', 'a replica holds the Lease');

    expect(['worker-a', 'worker-b']).toContain(holder);
  });

  it('creates the declared link and writes phrase, URL, observed generation and Ready to the status', async () => {
    await apply('docs', { phrase: 'team-docs', targetUrl: 'https://example.com/docs' });

    const link = await until(
      () => shortLink('docs'),
      (l) => ready(l, 1),
      'the ShortLink is Ready',
    );

    expect(link?.status).toMatchObject({ phrase: 'team-docs', url: 'https://sho.rt/team-docs', observedGeneration: 1 });
    expect(link?.metadata.finalizers).toContain('offndat.io/link');
    expect(await linkRow(`shortlink:${namespace}/docs`)).toMatchObject({
      phrase: 'team-docs',
      target_url: 'https://example.com/docs',
      is_deleted: false,
    });
  });

  it('acts only on the Lease holder', () => {
    const other = holder === 'worker-a' ? 'worker-b' : 'worker-a';

    expect(reconciledBy(holder)).toBe(true);
    expect(reconciledBy(other)).toBe(false);
  });

  it('follows a changed target and a disabled flag, and generates a phrase when none is declared', async () => {
    await apply('docs', { phrase: 'team-docs', targetUrl: 'https://example.com/handbook', disabled: true });
    await apply('status', { targetUrl: 'https://status.example.com/' });

    await until(
      () => shortLink('docs'),
      (l) => ready(l, 2),
      'the change is reconciled',
    );
    const generated = await until(
      () => shortLink('status'),
      (l) => ready(l, 1),
      'the generated link is Ready',
    );

    expect(await linkRow(`shortlink:${namespace}/docs`)).toMatchObject({ target_url: 'https://example.com/handbook' });
    expect((await linkRow(`shortlink:${namespace}/docs`))?.disabled_at).not.toBeNull();
    expect(generated?.status?.phrase).toMatch(/^\S+-\S+-\S+/);
    const audit = await db.pools.primary.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE actor = $1 ORDER BY id',
      [`shortlink:${namespace}/docs`],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['link.create', 'link.update']);
  });

  it('reports a phrase that belongs to another link as not Ready', async () => {
    await apply('clash', { phrase: 'team-docs', targetUrl: 'https://example.com/other' });

    const clash = await until(
      () => shortLink('clash'),
      (l) => l?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'False') === true,
      'the clash is reported',
    );

    expect(clash?.status?.conditions?.[0]?.reason).toBe('PhraseTaken');
  });

  it('deletes the link when the ShortLink is deleted, then lets the resource go', async () => {
    await api.request('DELETE', `${BASE}/docs`);

    await until(
      () => shortLink('docs'),
      (l) => l === undefined,
      'the resource is gone',
    );

    expect(await linkRow(`shortlink:${namespace}/docs`)).toMatchObject({ is_deleted: true });
  });

  it('hands the Lease over when its holder stops, and the new holder reconciles', async () => {
    const other = holder === 'worker-a' ? 'worker-b' : 'worker-a';
    await workers.get(holder)?.stop();

    await until(leaseHolder, (h) => h === other, 'the other replica takes the Lease');
    await apply('after-handover', { phrase: 'after-handover', targetUrl: 'https://example.com/next' });

    await until(
      () => shortLink('after-handover'),
      (l) => ready(l, 1),
      'the new holder reconciles',
    );
    expect(reconciledBy(other)).toBe(true);
  });
});
