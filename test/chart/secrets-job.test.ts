import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { helmTemplate, RELEASE } from './support/chart';
import { startControlPlane, stopControlPlane, type ControlPlane } from './support/control-plane';
import { expectSuccess } from './support/expect-run';
import { createKubeApi, type KubeApi } from './support/kube-api';
import { ofKind, parseManifests } from './support/manifests';
import { run } from './support/run';
import type { Job, Secret } from './support/shapes';
import { ensureK8sTools, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { envVar } from './support/workload-checks';

/**
 * The secrets Job's program (core/secrets/ensure-secret-cli.ts) run here against the local kube-apiserver, with a
 * token of the ServiceAccount the chart renders and nothing but the Role the chart gives it (authorization is real
 * RBAC there), as its container runs it.
 */

const runId = Date.now().toString(36);
let tools: K8sTools;
let plane: ControlPlane;
let api: KubeApi;

beforeAll(async () => {
  tools = await ensureK8sTools();
  plane = await startControlPlane();
  api = createKubeApi(plane.url, plane.token);
}, TOOLS_TIMEOUT_MS);

afterAll(async () => {
  if (plane !== undefined) await stopControlPlane(plane);
});

describe('the secrets Job, run with the service account and RBAC the chart gives it', () => {
  const namespace = `offndat-secrets-${runId}`;
  let job: Job;
  let token: string;
  let accountDir: string;
  let secretName: string;

  beforeAll(async () => {
    await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const template = await helmTemplate(tools, { namespace });
    expectSuccess(template, 'helm template');
    const hooks = parseManifests(template.stdout).filter((o) => o.metadata.name.endsWith('-secrets'));
    for (const o of hooks.filter((x) => x.kind !== 'Job' && x.kind !== 'NetworkPolicy'))
      await api.apply(o, { namespace });
    job = ofKind<Job>(hooks, 'Job')[0]!;
    secretName = envVar(job.spec.template, undefined, 'SECRET_NAME')!.value!;
    const account = job.spec.template.spec.serviceAccountName!;
    const minted = await api.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    });
    token = (minted.body as { status: { token: string } }).status.token;
    accountDir = mkdtempSync(path.join(os.tmpdir(), 'offndat-sa-'));
    writeFileSync(path.join(accountDir, 'token'), token);
    // The control plane's self-signed certificate file carries its CA, as a pod's ca.crt does.
    writeFileSync(path.join(accountDir, 'ca.crt'), readFileSync(path.join(plane.dir, 'certs/apiserver.crt')));
  }, 60_000);

  afterAll(() => {
    if (accountDir !== undefined) rmSync(accountDir, { recursive: true, force: true });
  });

  /** The Job's container, run here as its image would run it, against the control plane. */
  function runJob() {
    const container = job.spec.template.spec.containers[0]!;
    const env = Object.fromEntries(
      (container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
    );
    const url = new URL(plane.url);
    return run(
      process.execPath,
      [
        '-r',
        path.join(REPO_ROOT, 'scripts/lib/swc-register.cjs'),
        path.join(REPO_ROOT, 'core/secrets/ensure-secret-cli.ts'),
      ],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          ...env,
          POD_NAMESPACE: namespace,
          KUBERNETES_SERVICE_HOST: url.hostname,
          KUBERNETES_SERVICE_PORT: url.port,
          SERVICE_ACCOUNT_DIR: accountDir,
        },
      },
    );
  }

  const storedSecret = async () => (await api.get('v1', 'Secret', secretName, namespace)) as Secret | undefined;

  test('creates the Redis password once, and keeps it on every later run', async () => {
    const first = await runJob();
    const created = await storedSecret();
    const second = await runJob();
    const kept = await storedSecret();

    expectSuccess(first, 'ensure-secret');
    expectSuccess(second, 'ensure-secret (again)');
    const password = Buffer.from(created?.data?.['auth'] ?? '', 'base64').toString('utf8');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kept?.data).toEqual(created?.data);
    expect(created?.metadata.labels?.['app.kubernetes.io/instance']).toBe(RELEASE);
  });

  test('its service account can read that one Secret and no other', async () => {
    await api.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'someone-elses' }, stringData: { x: 'y' } },
      { namespace },
    );
    const asJob = createKubeApi(plane.url, token);

    expect((await asJob.request('GET', `/api/v1/namespaces/${namespace}/secrets/${secretName}`)).status).toBe(200);
    expect((await asJob.request('GET', `/api/v1/namespaces/${namespace}/secrets/someone-elses`)).status).toBe(403);
    expect((await asJob.request('GET', `/api/v1/namespaces/${namespace}/secrets`)).status).toBe(403);
  });

  test('a Secret of that name without the key is reported, not overwritten', async () => {
    await api.request('DELETE', `/api/v1/namespaces/${namespace}/secrets/${secretName}`);
    await api.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName }, stringData: { other: 'x' } },
      { namespace },
    );

    const result = await runJob();

    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/without the key auth/);
    expect((await storedSecret())?.data).toEqual({ other: Buffer.from('x').toString('base64') });
  });
});
