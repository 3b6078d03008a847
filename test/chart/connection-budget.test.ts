import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CHART_DIR, helmTemplate, listScenarios, render, RELEASE, scenarioValuesFile } from './support/chart';
import { expectFailure, expectSuccess } from './support/expect-run';
import { component, ofKind, type KubeObject } from './support/manifests';
import { run } from './support/run';
import type { Deployment, HorizontalPodAutoscaler, ScaledObject } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { envVar } from './support/workload-checks';

/**
 * PostgreSQL connections at the most pods a release can run, counted here from the rendered objects alone (pool
 * sizes from the containers' environment, pod counts from the autoscalers, limits from the Cluster and the
 * Poolers), so the chart's own arithmetic (templates/_connections.tpl) is checked, not repeated.
 */

interface Cluster extends KubeObject {
  readonly spec: { readonly postgresql: { readonly parameters: Record<string, string> } };
}
interface Pooler extends KubeObject {
  readonly spec: {
    readonly instances: number;
    readonly type: string;
    readonly pgbouncer: { parameters: Record<string, string> };
  };
}

const RESERVED = (
  parse(readFileSync(`${CHART_DIR}/values.yaml`, 'utf8')) as {
    postgresql: { operator: { reservedConnections: number } };
  }
).postgresql.operator.reservedConnections;

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

/** A rolling update adds up to 25 % more pods, rounded up, while the old ones still hold their pools. */
const withSurge = (pods: number) => pods + Math.ceil(pods / 4);

function maxPods(objects: readonly KubeObject[], d: Deployment): number {
  const hpa = ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').find(
    (h) => h.spec.scaleTargetRef.name === d.metadata.name,
  );
  const scaled = ofKind<ScaledObject>(objects, 'ScaledObject').find(
    (s) => s.spec.scaleTargetRef.name === d.metadata.name,
  );
  return hpa?.spec.maxReplicas ?? scaled?.spec.maxReplicaCount ?? d.spec.replicas ?? 1;
}

interface Load {
  readonly where: string;
  readonly used: number;
  readonly limit: number;
}

function loads(objects: readonly KubeObject[]): Load[] {
  const deployments = ofKind<Deployment>(objects, 'Deployment');
  const api = component(deployments, 'api')!;
  const worker = component(deployments, 'worker')!;
  const pool = (d: Deployment, name: string) => Number(envVar(d.spec.template, undefined, name)?.value);
  const writers =
    withSurge(maxPods(objects, api)) * pool(api, 'DB_POOL_MAX') +
    withSurge(maxPods(objects, worker)) * pool(worker, 'DB_POOL_MAX');
  const readsOnReplicas = envVar(api.spec.template, undefined, 'DATABASE_READ_URL') !== undefined;
  const readers = readsOnReplicas ? withSurge(maxPods(objects, api)) * pool(api, 'DB_READ_POOL_MAX') : 0;
  const cluster = ofKind<Cluster>(objects, 'Cluster')[0];
  if (cluster === undefined) return [];
  const limit = Number(cluster.spec.postgresql.parameters['max_connections']) - RESERVED;
  const poolers = ofKind<Pooler>(objects, 'Pooler');
  if (poolers.length === 0) {
    return [
      { where: 'primary', used: writers + 1, limit },
      ...(readsOnReplicas ? [{ where: 'each replica', used: readers, limit }] : []),
    ];
  }
  return poolers.flatMap((p) => {
    const params = p.spec.pgbouncer.parameters;
    const servers =
      withSurge(p.spec.instances) * (Number(params['default_pool_size']) + Number(params['reserve_pool_size'] ?? 0));
    return [
      {
        where: `${p.spec.type} clients`,
        used: p.spec.type === 'rw' ? writers : readers,
        limit: Number(params['max_client_conn']),
      },
      {
        where: p.spec.type === 'rw' ? 'primary' : 'each replica',
        used: servers + (p.spec.type === 'rw' ? 1 : 0),
        limit,
      },
    ];
  });
}

test.each(listScenarios())('%s: connections at the most pods fit PostgreSQL and PgBouncer', async (scenario) => {
  const objects = await render(tools, { valuesFile: scenarioValuesFile(scenario) });

  const over = loads(objects).filter((l) => l.used > l.limit);

  expect(over).toEqual([]);
});

test('production goes through PgBouncer and still fits at the autoscaling maximums', async () => {
  const objects = await render(tools, { valuesFile: scenarioValuesFile('production') });

  expect(
    ofKind<Pooler>(objects, 'Pooler')
      .map((p) => p.spec.type)
      .sort(),
  ).toEqual(['ro', 'rw']);
  expect(loads(objects).length).toBe(4);
});

test('the NOTES state each sum, as counted here', async () => {
  const valuesFile = scenarioValuesFile('production');
  const objects = await render(tools, { valuesFile });
  const dryRun = await run(tools.helm, ['install', RELEASE, CHART_DIR, '--values', valuesFile, '--dry-run=client']);
  expectSuccess(dryRun, 'helm install --dry-run');

  const notes = dryRun.stdout.slice(dryRun.stdout.indexOf('NOTES:'));

  for (const { used, limit } of loads(objects)) expect(notes).toContain(`: ${used} of ${limit} (`);
});

test('autoscaling the default pools far without the pooler is refused, naming the way out', async () => {
  const result = await helmTemplate(tools, { set: ['autoscaling.mode=hpa'] });

  expectFailure(result, /connection budget exceeded on primary: \d+ connections.*pooler/, 'helm template');
});

test('the same autoscaling fits once the pooler is on', async () => {
  const objects = await render(tools, { set: ['autoscaling.mode=hpa', 'postgresql.operator.pooler.enabled=true'] });

  expect(loads(objects).filter((l) => l.used > l.limit)).toEqual([]);
});

test('more api pods than PgBouncer accepts clients are refused', async () => {
  const result = await helmTemplate(tools, {
    valuesFile: scenarioValuesFile('production'),
    set: ['autoscaling.api.maxReplicas=200'],
  });

  expectFailure(result, /max_client_conn/, 'helm template');
});

test('an external database is checked against the connections it leaves to offndat, when given', async () => {
  const result = await helmTemplate(tools, {
    valuesFile: scenarioValuesFile('external'),
    set: ['postgresql.external.maxConnections=50'],
  });

  expectFailure(result, /connection budget exceeded on primary/, 'helm template');
});
