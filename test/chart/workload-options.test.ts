import { helmTemplate, render, scenarioValuesFile } from './support/chart';
import { expectFailure } from './support/expect-run';
import { component, ofKind, type KubeObject } from './support/manifests';
import type { Deployment, PodDisruptionBudget } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { envVar, securityViolations } from './support/workload-checks';

/** What platform teams expect to set on a chart's pods, and what the chart never lets them loosen. */

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

type PodSpecOf = Deployment['spec']['template']['spec'] & Record<string, unknown>;
const api = (objects: readonly KubeObject[]) => component(ofKind<Deployment>(objects, 'Deployment'), 'api')!;
const podSpec = (d: Deployment) => d.spec.template.spec as PodSpecOf;

describe('environment, volumes and extra containers', () => {
  test('extraEnv takes valueFrom, so a secret stays in its Secret', async () => {
    const d = api(
      await render(tools, {
        values: {
          api: {
            extraEnv: {
              VISIT_IP_MODE: 'hash',
              VISIT_IP_SALT: { valueFrom: { secretKeyRef: { name: 's', key: 'salt' } } },
            },
          },
        },
      }),
    );

    expect(envVar(d.spec.template, 'api', 'VISIT_IP_MODE')).toEqual({ name: 'VISIT_IP_MODE', value: 'hash' });
    expect(envVar(d.spec.template, 'api', 'VISIT_IP_SALT')).toEqual({
      name: 'VISIT_IP_SALT',
      valueFrom: { secretKeyRef: { name: 's', key: 'salt' } },
    });
  });

  test('extraEnv may not override what the chart sets', async () => {
    expectFailure(
      await helmTemplate(tools, { values: { api: { extraEnv: { DB_POOL_MAX: '99' } } } }),
      /DB_POOL_MAX|not/,
      'helm template',
    );
  });

  test('extraEnvFrom, extra volumes and mounts, init containers and sidecars reach the pod', async () => {
    const d = api(await render(tools, { valuesFile: scenarioValuesFile('platform') }));
    const spec = podSpec(d);
    const main = spec.containers.find((c) => c.name === 'api')!;

    expect(main.envFrom).toContainEqual({ secretRef: { name: 'offndat-extra-env' } });
    expect((main as unknown as { volumeMounts: unknown[] }).volumeMounts).toContainEqual({
      name: 'geoip',
      mountPath: '/var/lib/geoip',
      readOnly: true,
    });
    expect(spec.volumes).toContainEqual({ name: 'geoip', secret: { secretName: 'offndat-geoip' } });
    expect(spec.initContainers?.map((c) => c.name)).toEqual(['wait-for-mesh']);
    expect(spec.containers.map((c) => c.name)).toEqual(['api', 'log-shipper']);
  });
});

describe('labels, priority, probes', () => {
  test('commonLabels go on every object and podLabels on the pods, never into selectors', async () => {
    const objects = await render(tools, { valuesFile: scenarioValuesFile('platform') });
    const d = api(objects);

    expect(objects.filter((o) => o.metadata.labels?.['cost-center'] !== 'links').map((o) => o.kind)).toEqual([]);
    expect(d.spec.template.metadata?.labels?.['team']).toBe('links');
    expect(Object.keys(d.spec.selector.matchLabels).sort()).toEqual([
      'app.kubernetes.io/component',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/name',
    ]);
  });

  test('priorityClassName is set on the api and worker pods', async () => {
    const objects = await render(tools, { valuesFile: scenarioValuesFile('platform') });

    for (const d of ofKind<Deployment>(objects, 'Deployment').filter((x) => !x.metadata.name.endsWith('-redis')))
      expect({ [d.metadata.name]: podSpec(d)['priorityClassName'] }).toEqual({ [d.metadata.name]: 'offndat-critical' });
  });

  test('a probe field can be changed, and a probe left out', async () => {
    const d = api(
      await render(tools, { values: { api: { readinessProbe: { periodSeconds: 3 }, startupProbe: null } } }),
    );
    const main = podSpec(d).containers[0] as unknown as Record<string, { periodSeconds?: number; httpGet?: unknown }>;

    expect(main['readinessProbe']).toMatchObject({ periodSeconds: 3, httpGet: { path: '/ready', port: 'http' } });
    expect(main['startupProbe']).toBeUndefined();
    expect(main['livenessProbe']).toMatchObject({ httpGet: { path: '/health' } });
  });
});

describe('security contexts', () => {
  test('ids left to the platform (OpenShift restricted-v2) drop out; the floor stays', async () => {
    const objects = await render(tools, { valuesFile: scenarioValuesFile('platform') });

    for (const d of ofKind<Deployment>(objects, 'Deployment')) {
      const pod = podSpec(d).securityContext as Record<string, unknown>;
      expect({ [d.metadata.name]: [pod['runAsUser'], pod['fsGroup']] }).toEqual({
        [d.metadata.name]: [undefined, undefined],
      });
      expect(securityViolations(d.metadata.name, d.spec.template)).toEqual([]);
    }
  });

  test('the floor cannot be loosened from values', async () => {
    for (const loosen of [
      { privileged: true },
      { readOnlyRootFilesystem: false },
      { capabilities: { add: ['NET_ADMIN'] } },
    ]) {
      const result = await helmTemplate(tools, { values: { containerSecurityContext: loosen } });

      expectFailure(result, /containerSecurityContext|additional propert/i, 'helm template');
    }
    expectFailure(
      await helmTemplate(tools, { values: { podSecurityContext: { runAsUser: 0 } } }),
      /runAsUser|minimum/,
      'helm template',
    );
  });
});

describe('scheduling', () => {
  test('api and worker spread over zones and nodes by default, each over its own pods', async () => {
    const objects = await render(tools);

    for (const name of ['api', 'worker']) {
      const d = component(ofKind<Deployment>(objects, 'Deployment'), name)!;
      const spread = podSpec(d)['topologySpreadConstraints'] as {
        topologyKey: string;
        whenUnsatisfiable: string;
        labelSelector: { matchLabels: Record<string, string> };
      }[];
      expect(spread.map((s) => s.topologyKey).sort()).toEqual([
        'kubernetes.io/hostname',
        'topology.kubernetes.io/zone',
      ]);
      for (const s of spread) {
        expect(s.whenUnsatisfiable).toBe('ScheduleAnyway');
        expect(s.labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
      }
    }
  });

  test('constraints of your own replace the default spread', async () => {
    const mine = [
      {
        maxSkew: 2,
        topologyKey: 'rack',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { a: 'b' } },
      },
    ];
    const d = api(await render(tools, { values: { api: { topologySpreadConstraints: mine } } }));

    expect(podSpec(d)['topologySpreadConstraints']).toEqual(mine);
  });
});

describe('PodDisruptionBudgets', () => {
  const pdbOf = (objects: readonly KubeObject[], name: string) =>
    ofKind<PodDisruptionBudget>(objects, 'PodDisruptionBudget').find((p) => p.metadata.name.endsWith(`-${name}`));

  test.each(['keda', 'minimal', 'kind'])(
    '%s: a single replica can still be evicted (a drain never blocks)',
    async (scenario) => {
      const objects = await render(tools, { valuesFile: scenarioValuesFile(scenario), set: ['api.pdb.enabled=true'] });

      for (const name of ['api', 'worker']) {
        const pdb = pdbOf(objects, name);
        if (pdb === undefined) continue;
        expect({ [name]: pdb.spec.maxUnavailable ?? 0 }).not.toEqual({ [name]: 0 });
        expect({ [name]: pdb.spec.minAvailable }).toEqual({ [name]: undefined });
      }
    },
  );

  test('maxUnavailable is honoured', async () => {
    const objects = await render(tools, { set: ['api.pdb.maxUnavailable=50%', 'worker.pdb.maxUnavailable=2'] });

    expect(pdbOf(objects, 'api')?.spec).toMatchObject({ maxUnavailable: '50%' });
    expect(pdbOf(objects, 'worker')?.spec).toMatchObject({ maxUnavailable: 2 });
  });

  test('minAvailable below the fewest replicas is used; at or above them it is refused', async () => {
    const objects = await render(tools, { set: ['api.pdb.minAvailable=1'] });
    expect(pdbOf(objects, 'api')?.spec.minAvailable).toBe(1);
    expect(pdbOf(objects, 'api')?.spec.maxUnavailable).toBeUndefined();

    expectFailure(
      await helmTemplate(tools, { set: ['api.pdb.minAvailable=2'] }),
      /block every node drain/,
      'helm template',
    );
    expectFailure(
      await helmTemplate(tools, { valuesFile: scenarioValuesFile('keda'), set: ['api.pdb.minAvailable=1'] }),
      /block every node drain/,
      'helm template',
    );
  });

  test('maxUnavailable 0 is refused: it blocks every drain', async () => {
    expectFailure(
      await helmTemplate(tools, { set: ['api.pdb.maxUnavailable=0'] }),
      /maxUnavailable|minimum|oneOf/i,
      'helm template',
    );
  });
});

describe('network policy', () => {
  test('DNS egress follows the cluster: other ports (OpenShift 5353) and extra peers (NodeLocal DNSCache)', async () => {
    const objects = await render(tools, {
      values: { networkPolicy: { dns: { ports: [5353], extraTo: [{ ipBlock: { cidr: '169.254.20.10/32' } }] } } },
    });
    const policy = ofKind<KubeObject & { spec: { egress: { to?: unknown[]; ports?: { port: number }[] }[] } }>(
      objects,
      'NetworkPolicy',
    ).find((p) => p.metadata.name.endsWith('-api'))!;
    const dns = policy.spec.egress[0]!;

    expect(dns.ports?.map((p) => p.port)).toEqual([5353, 5353]);
    expect(dns.to).toContainEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
  });
});

describe('Gateway API', () => {
  test('an HTTPRoute sends the hosts to the api Service, beside or instead of the Ingress', async () => {
    const objects = await render(tools, { valuesFile: scenarioValuesFile('platform') });
    const route = ofKind<KubeObject & { spec: Record<string, unknown> }>(objects, 'HTTPRoute')[0];
    const service = ofKind<KubeObject & { spec: { ports: { port: number }[] } }>(objects, 'Service').find((s) =>
      s.metadata.name.endsWith('-api'),
    )!;

    expect(route?.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route?.spec).toMatchObject({
      parentRefs: [{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: ['sho.rt'],
      rules: [{ backendRefs: [{ name: service.metadata.name, port: service.spec.ports[0]!.port }] }],
    });
  });

  test('an HTTPRoute without a Gateway to attach to is refused', async () => {
    expectFailure(
      await helmTemplate(tools, { set: ['api.httpRoute.enabled=true'] }),
      /parentRefs is required/,
      'helm template',
    );
  });
});
