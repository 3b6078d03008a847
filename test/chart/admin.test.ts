import { helmTemplate, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import type { Deployment, NetworkPolicy } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS } from './support/tools';

/** The admin API, the blocklist ConfigMap and the ShortLink reconciler: off by default, scoped when on. */
let byDefault: KubeObject[];
let enabled: KubeObject[];

beforeAll(async () => {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  const plain = await helmTemplate(tools, { valuesFile: scenarioValuesFile('minimal') });
  const admin = await helmTemplate(tools, { valuesFile: scenarioValuesFile('admin') });
  expectSuccess(plain, 'helm template (minimal)');
  expectSuccess(admin, 'helm template (admin)');
  byDefault = parseManifests(plain.stdout);
  enabled = parseManifests(admin.stdout);
}, TOOLS_TIMEOUT_MS);

const named = (objects: KubeObject[], kind: string, suffix: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
const container = (objects: KubeObject[], component: string) =>
  ofKind<Deployment>(objects, 'Deployment').find((d) => d.metadata.name.endsWith(`-${component}`))?.spec.template.spec
    .containers[0];
const envNames = (objects: KubeObject[], component: string) =>
  (container(objects, component)?.env ?? []).map((e) => e.name);

test('by default there is no admin port, no CRD, no Role, and no pod mounts a token', () => {
  expect(named(byDefault, 'Service', '-admin')).toBeUndefined();
  expect(byDefault.filter((o) => ['CustomResourceDefinition', 'Role', 'RoleBinding'].includes(o.kind))).toEqual([]);
  expect(envNames(byDefault, 'api')).not.toContain('ADMIN_KEYS');
  expect(envNames(byDefault, 'worker')).not.toContain('SHORTLINKS_ENABLED');
});

test('the admin API listens on its own port, behind its own ClusterIP Service', () => {
  const service = named(enabled, 'Service', '-admin') as KubeObject & {
    spec: { type: string; ports: Array<{ port: number; targetPort: string }> };
  };
  const api = container(enabled, 'api') as { ports?: Array<{ name: string; containerPort: number }> };

  expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 8081, targetPort: 'admin' }] });
  expect(api.ports).toContainEqual({ name: 'admin', containerPort: 8081, protocol: 'TCP' });
  expect(container(enabled, 'api')?.env).toContainEqual({ name: 'ADMIN_PORT', value: '8081' });
});

test('the NetworkPolicy admits to the admin port only the peers admin.ingressFrom lists', () => {
  const policy = named(enabled, 'NetworkPolicy', '-api') as NetworkPolicy & {
    spec: { ingress?: Array<{ ports?: Array<{ port: string | number }>; from?: unknown[] }> };
  };
  const rules = (policy.spec.ingress ?? []).filter((rule) => rule.ports?.some((p) => p.port === 'admin'));

  expect(rules).toEqual([
    {
      ports: [{ port: 'admin', protocol: 'TCP' }],
      from: [{ podSelector: { matchLabels: { role: 'trust-and-safety' } } }],
    },
  ]);
});

test('the reconciler gets a token, and a Role limited to ShortLinks and its own Lease', () => {
  const worker = ofKind<Deployment>(enabled, 'Deployment').find((d) => d.metadata.name.endsWith('-worker'));
  const role = named(enabled, 'Role', '-shortlinks') as KubeObject & {
    rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }>;
  };

  expect(worker?.spec.template.spec.automountServiceAccountToken).toBe(true);
  expect(worker?.spec.template.spec.serviceAccountName).toBe('offndat-shortlinks');
  expect(named(enabled, 'CustomResourceDefinition', 'shortlinks.offndat.io')).toBeDefined();
  expect(new Set(role.rules.flatMap((r) => r.apiGroups))).toEqual(new Set(['offndat.io', 'coordination.k8s.io']));
  expect(role.rules.flatMap((r) => r.verbs)).not.toContain('delete');
  expect(role.rules.find((r) => r.verbs.includes('update') && r.resources.includes('leases'))?.resourceNames).toEqual([
    'offndat-shortlinks',
  ]);
  expect(container(enabled, 'worker')?.env).toContainEqual({
    name: 'SHORTLINKS_LEASE_NAME',
    value: 'offndat-shortlinks',
  });
});

test('the blocklist ConfigMap is mounted into the api and the worker as BLOCKLIST_FILE', () => {
  const configMap = named(enabled, 'ConfigMap', '-blocklist') as KubeObject & { data: Record<string, string> };

  expect(configMap.data['rules.txt']).toContain('host login-examp1e.com');
  for (const component of ['api', 'worker'])
    expect(container(enabled, component)?.env).toContainEqual({
      name: 'BLOCKLIST_FILE',
      value: '/etc/offndat/blocklist/rules.txt',
    });
});
