import { render, scenarioValuesFile } from './support/chart';
import { component, ofKind, type KubeObject } from './support/manifests';
import type { Deployment } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS } from './support/tools';

/**
 * ci/production-values.yaml is the configuration the docs point operators at: it must hold everything a
 * production release needs at once (each part is tested on its own elsewhere; the budget in connection-budget).
 */

let objects: KubeObject[];

beforeAll(async () => {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  objects = await render(tools, { valuesFile: scenarioValuesFile('production') });
}, TOOLS_TIMEOUT_MS);

test('backs PostgreSQL up on a schedule, with its WAL archived', () => {
  const cluster = ofKind<KubeObject & { spec: { backup?: { barmanObjectStore?: unknown } } }>(objects, 'Cluster')[0];

  expect(cluster?.spec.backup?.barmanObjectStore).toBeDefined();
  expect(ofKind(objects, 'ScheduledBackup')).toHaveLength(1);
});

test('keeps the data objects when the release goes', () => {
  for (const kind of ['Cluster', 'RabbitmqCluster'])
    expect({ [kind]: ofKind(objects, kind)[0]?.metadata.annotations?.['helm.sh/resource-policy'] }).toEqual({
      [kind]: 'keep',
    });
});

test('runs api and worker through PgBouncer', () => {
  const poolers = ofKind(objects, 'Pooler').map((p) => p.metadata.name);

  for (const name of ['api', 'worker']) {
    const d = component(ofKind<Deployment>(objects, 'Deployment'), name)!;
    const url = d.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL')?.value ?? '';
    expect(poolers.some((p) => url.includes(`@${p}:`))).toBe(true);
  }
});

test('spreads api and worker over zones and nodes', () => {
  for (const name of ['api', 'worker']) {
    const d = component(ofKind<Deployment>(objects, 'Deployment'), name)!;
    const spread = (d.spec.template.spec as { topologySpreadConstraints?: { topologyKey: string }[] })
      .topologySpreadConstraints;
    expect(spread?.map((s) => s.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  }
});

test('keeps the visit-IP salt out of values', () => {
  const api = component(ofKind<Deployment>(objects, 'Deployment'), 'api')!;

  expect(api.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'VISIT_IP_SALT')).toEqual({
    name: 'VISIT_IP_SALT',
    valueFrom: { secretKeyRef: { name: 'offndat-visit-ip-salt', key: 'salt' } },
  });
});
