import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, helmTemplate, listScenarios, RELEASE, scenarioValuesFile } from './support/chart';
import { startControlPlane, stopControlPlane, type ControlPlane } from './support/control-plane';
import { expectFailure, expectSuccess } from './support/expect-run';
import { createKubeApi, type KubeApi } from './support/kube-api';
import { component, isHook, ofKind, parseManifests, type KubeObject } from './support/manifests';
import { run } from './support/run';
import type {
  Deployment,
  HorizontalPodAutoscaler,
  Job,
  NetworkPolicy,
  PodDisruptionBudget,
  PodTemplate,
  ScaledObject,
  Secret,
  ServiceAccount,
  TriggerAuthentication,
} from './support/shapes';
import { operatorStandIns, userSecretStandIns } from './support/stand-ins';
import { ensureK8sTools, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { envVar, expectPoolerUrl, securityViolations, selects } from './support/workload-checks';
import { applyCrds } from './support/crds';

/**
 * Installs every ci scenario into its own namespace of a real kube-apiserver (etcd-backed, CRDs applied, strict
 * server-side apply as helm v4 does by default), then reads the objects back. No operator, kubelet or
 * controller runs: the operators' Secrets and Services are stood in for, hooks are only dry-run.
 */

const scenarios = listScenarios();
const runId = Date.now().toString(36);
let tools: K8sTools;
let plane: ControlPlane;
let api: KubeApi;

beforeAll(async () => {
  tools = await ensureK8sTools();
  plane = await startControlPlane();
  api = createKubeApi(plane.url, plane.token);
  await applyCrds(api, tools.crdsDir);
}, TOOLS_TIMEOUT_MS);

afterAll(async () => {
  if (plane !== undefined) await stopControlPlane(plane);
});

test('the install path itself refuses unknown fields (so a green install means something)', async () => {
  const chart = mkdtempSync(path.join(os.tmpdir(), 'offndat-strict-chart-'));
  try {
    mkdirSync(path.join(chart, 'templates'));
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: strict-control\nversion: 0.1.0\n');
    writeFileSync(
      path.join(chart, 'templates/cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict-control}\nnotAField: 1\n',
    );

    const install = await run(tools.helm, [
      'install',
      'strict-control',
      chart,
      '--namespace',
      'default',
      '--kubeconfig',
      plane.kubeconfig,
    ]);

    expectFailure(install, /notAField/, 'helm install');
  } finally {
    rmSync(chart, { recursive: true, force: true });
  }
});

describe.each(scenarios)('%s scenario installed on a real API server', (scenario) => {
  const namespace = `offndat-${scenario}-${runId}`;
  const valuesFile = scenarioValuesFile(scenario);
  let rendered: KubeObject[];
  let stored: (apiVersion: string, kind: string) => Promise<KubeObject[]>;

  beforeAll(async () => {
    await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const template = await helmTemplate(tools, {
      valuesFile,
      namespace,
      kubeVersion: tools.kubernetesVersion.slice(1),
    });
    expectSuccess(template, 'helm template');
    rendered = parseManifests(template.stdout);
    const standIns = operatorStandIns(rendered, namespace);
    for (const object of [...standIns, ...userSecretStandIns(rendered, standIns)])
      await api.apply(object, { namespace });

    const install = await run(tools.helm, [
      'install',
      RELEASE,
      CHART_DIR,
      '--namespace',
      namespace,
      '--values',
      valuesFile,
      '--kubeconfig',
      plane.kubeconfig,
      '--no-hooks',
      '--timeout',
      '2m',
    ]);
    expectSuccess(install, 'helm install');
    stored = (apiVersion, kind) => api.list(apiVersion, kind, namespace);
  }, 180_000);

  test('stores every object the chart renders', async () => {
    const missing: string[] = [];
    for (const o of rendered.filter((x) => !isHook(x))) {
      const found = await api.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace ?? namespace);
      if (found === undefined) missing.push(`${o.kind}/${o.metadata.name}`);
    }

    expect(missing).toEqual([]);
  });

  test('the hooks (migrations Job, tests) are accepted by the API server with strict field validation', async () => {
    const hooks = await run(tools.helm, [
      'get',
      'hooks',
      RELEASE,
      '--namespace',
      namespace,
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    expectSuccess(hooks, 'helm get hooks');
    const objects = parseManifests(hooks.stdout);

    for (const hook of objects) await api.apply(hook, { namespace, dryRun: true });

    const jobs = ofKind<Job>(objects, 'Job');
    expect(jobs.map((j) => j.metadata.annotations?.['helm.sh/hook'] ?? '').join(',')).toMatch(
      /post-install|pre-upgrade/,
    );
    expect(jobs.flatMap((j) => securityViolations(`Job/${j.metadata.name}`, j.spec.template))).toEqual([]);
    const pods = objects.filter((o) => o.kind === 'Pod') as unknown as {
      metadata: { name: string };
      spec: PodTemplate['spec'];
    }[];
    expect(pods.flatMap((p) => securityViolations(`Pod/${p.metadata.name}`, { spec: p.spec }))).toEqual([]);
  });

  test('api and worker run non-root with a read-only root, no capabilities and RuntimeDefault seccomp', async () => {
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];

    expect(component(deployments, 'api')).toBeDefined();
    expect(component(deployments, 'worker')).toBeDefined();
    expect(deployments.flatMap((d) => securityViolations(`Deployment/${d.metadata.name}`, d.spec.template))).toEqual(
      [],
    );
  });

  test('service accounts do not mount API tokens', async () => {
    const accounts = ((await stored('v1', 'ServiceAccount')) as ServiceAccount[]).filter(
      (a) => a.metadata.name !== 'default',
    );
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];

    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts)
      expect({ [a.metadata.name]: a.automountServiceAccountToken }).toEqual({ [a.metadata.name]: false });
    for (const d of deployments) {
      expect(accounts.map((a) => a.metadata.name)).toContain(d.spec.template.spec.serviceAccountName);
      // Only the ShortLink reconciler talks to the Kubernetes API, through its own account and Role.
      const reconciler = d.spec.template.spec.serviceAccountName?.endsWith('-shortlinks') === true;
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(reconciler ? true : false);
    }
  });

  test('replicas are left to the autoscaler when one targets the Deployment, and kept otherwise', async () => {
    const deployments = ofKind<Deployment>(rendered, 'Deployment');
    const storedDeployments = (await stored('apps/v1', 'Deployment')) as Deployment[];
    const targets = new Set([
      ...ofKind<HorizontalPodAutoscaler>(rendered, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name),
      ...ofKind<ScaledObject>(rendered, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name),
    ]);

    for (const d of deployments) {
      const back = storedDeployments.find((s) => s.metadata.name === d.metadata.name);
      if (targets.has(d.metadata.name))
        expect({ [d.metadata.name]: d.spec.replicas }).toEqual({ [d.metadata.name]: undefined });
      else expect({ [d.metadata.name]: back?.spec.replicas }).toEqual({ [d.metadata.name]: d.spec.replicas ?? 1 });
    }
  });

  test("without an autoscaler, api and worker run the replica counts the release's values ask for", async () => {
    const got = await run(tools.helm, [
      'get',
      'values',
      RELEASE,
      '--all',
      '--output',
      'json',
      '--namespace',
      namespace,
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    expectSuccess(got, 'helm get values');
    const values = JSON.parse(got.stdout) as {
      autoscaling: { mode: string };
      api: { replicas: number };
      worker: { replicas: number };
    };
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];
    if (values.autoscaling.mode !== 'none') return;

    expect(component(deployments, 'api')?.spec.replicas).toBe(values.api.replicas);
    expect(component(deployments, 'worker')?.spec.replicas).toBe(values.worker.replicas);
  });

  test("DATABASE_URL and AMQP_URL come from the operators' Secrets, or from the user's for external services", async () => {
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];
    const pg = rendered.find((o) => o.kind === 'Cluster' && o.apiVersion === 'postgresql.cnpg.io/v1');
    const poolers = rendered.filter((o) => o.kind === 'Pooler').map((o) => o.metadata.name);
    const mq = rendered.find((o) => o.kind === 'RabbitmqCluster');
    const values = readFileSync(valuesFile, 'utf8');

    for (const name of ['api', 'worker']) {
      const d = component(deployments, name);
      if (d === undefined) throw new Error(`no ${name} Deployment`);
      const db = envVar(d.spec.template, undefined, 'DATABASE_URL');
      const amqp = envVar(d.spec.template, undefined, 'AMQP_URL')?.valueFrom?.secretKeyRef;
      if (pg === undefined) expect(values).toContain(db?.valueFrom?.secretKeyRef?.name ?? 'DATABASE_URL from a secret');
      else if (poolers.length === 0)
        expect(db?.valueFrom?.secretKeyRef).toMatchObject({ name: `${pg.metadata.name}-app`, key: 'uri' });
      else expectPoolerUrl(d, db?.value, `${pg.metadata.name}-app`, poolers);
      if (mq !== undefined)
        expect(amqp).toMatchObject({ name: `${mq.metadata.name}-default-user`, key: 'connection_string' });
      else expect(values).toContain(amqp?.name ?? 'AMQP_URL from a secret');
    }
  });

  test('the migrations Job connects to the primary directly, never through PgBouncer', async () => {
    const hooks = await run(tools.helm, [
      'get',
      'hooks',
      RELEASE,
      '--namespace',
      namespace,
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    expectSuccess(hooks, 'helm get hooks');
    const pg = rendered.find((o) => o.kind === 'Cluster' && o.apiVersion === 'postgresql.cnpg.io/v1');
    const poolers = rendered.filter((o) => o.kind === 'Pooler').map((o) => o.metadata.name);

    const job = ofKind<Job>(parseManifests(hooks.stdout), 'Job').find((j) => /migrat/.test(j.metadata.name));
    if (job === undefined) throw new Error('no migrations Job among the hooks');
    const db = envVar(job.spec.template, undefined, 'DATABASE_URL');

    expect(db).toBeDefined();
    for (const p of poolers) expect(db?.value ?? '').not.toContain(`@${p}:`);
    if (pg !== undefined)
      expect(db?.valueFrom?.secretKeyRef).toMatchObject({ name: `${pg.metadata.name}-app`, key: 'uri' });
  });

  test('NetworkPolicies select the api and worker pods', async () => {
    const policies = (await stored('networking.k8s.io/v1', 'NetworkPolicy')) as NetworkPolicy[];
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];

    for (const name of ['api', 'worker']) {
      const d = component(deployments, name);
      expect({
        [name]: policies.some((p) => d !== undefined && selects(p.spec.podSelector.matchLabels, d.spec.template)),
      }).toEqual({ [name]: true });
    }
  });

  test('PodDisruptionBudgets protect the api and worker where they run more than one pod', async () => {
    const pdbs = (await stored('policy/v1', 'PodDisruptionBudget')) as PodDisruptionBudget[];
    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];

    for (const p of pdbs)
      expect(deployments.some((d) => selects(p.spec.selector.matchLabels, d.spec.template))).toBe(true);
    if (scenario === 'production') {
      for (const name of ['api', 'worker']) {
        const d = component(deployments, name);
        expect({
          [name]: pdbs.some((p) => d !== undefined && selects(p.spec.selector.matchLabels, d.spec.template)),
        }).toEqual({ [name]: true });
      }
    }
  });

  test('autoscaling: api on p95 latency and cpu, worker on queue depth', async () => {
    const hpas = (await stored('autoscaling/v2', 'HorizontalPodAutoscaler')) as HorizontalPodAutoscaler[];
    const scaled = (await stored('keda.sh/v1alpha1', 'ScaledObject')) as ScaledObject[];
    const mode =
      (parse(readFileSync(valuesFile, 'utf8')) as { autoscaling?: { mode?: string } }).autoscaling?.mode ?? 'none';
    expect({ hpa: hpas.length, keda: scaled.length }).toEqual({
      hpa: mode === 'hpa' ? 2 : 0,
      keda: mode === 'keda' ? 2 : 0,
    });

    const deployments = (await stored('apps/v1', 'Deployment')) as Deployment[];
    const apiName = component(deployments, 'api')?.metadata.name;
    const workerName = component(deployments, 'worker')?.metadata.name;
    const targets = [
      ...hpas.map((h) => h.spec.scaleTargetRef.name),
      ...scaled.map((so) => so.spec.scaleTargetRef.name),
    ];
    expect(targets.sort()).toEqual(mode === 'none' ? [] : [apiName, workerName].sort());
    for (const hpa of hpas) {
      const metrics = hpa.spec.metrics ?? [];
      const names = metrics.map(
        (m) => m.pods?.metric.name ?? m.object?.metric.name ?? m.external?.metric.name ?? m.resource?.name ?? '',
      );
      if (hpa.spec.scaleTargetRef.name === apiName) {
        expect(names).toContain('cpu');
        expect(names.some((n) => /p95|latency|duration/.test(n))).toBe(true);
      }
      if (hpa.spec.scaleTargetRef.name === workerName) expect(names.some((n) => /queue/.test(n))).toBe(true);
    }
    for (const so of scaled) {
      const triggers = so.spec.triggers;
      if (so.spec.scaleTargetRef.name === apiName) {
        const latency = triggers.find(
          (t) => t.type === 'prometheus' && /histogram_quantile\(\s*0\.95/.test(t.metadata?.['query'] ?? ''),
        );
        expect(latency?.metadata?.['query']).toContain('request_duration_seconds_bucket');
        expect(latency?.metricType).toBe('Value');
        expect(triggers.some((t) => t.type === 'cpu')).toBe(true);
      }
      if (so.spec.scaleTargetRef.name === workerName) {
        const queue = triggers.find((t) => t.type === 'rabbitmq' || /queue/.test(t.metadata?.['query'] ?? ''));
        expect(queue).toBeDefined();
        if (queue?.authenticationRef !== undefined) {
          const auth = (await api.get(
            'keda.sh/v1alpha1',
            queue.authenticationRef.kind ?? 'TriggerAuthentication',
            queue.authenticationRef.name,
            namespace,
          )) as TriggerAuthentication | undefined;
          expect(auth?.spec.secretTargetRef?.length).toBeGreaterThan(0);
        }
      }
    }
  });

  // Last: it changes the release the tests above read.
  test('upgrades in place: a config change rolls api and worker, a generated Redis password survives', async () => {
    const before = (await stored('apps/v1', 'Deployment')) as Deployment[];
    const secretsBefore = (await stored('v1', 'Secret')) as Secret[];

    const upgrade = await run(tools.helm, [
      'upgrade',
      RELEASE,
      CHART_DIR,
      '--namespace',
      namespace,
      '--values',
      valuesFile,
      '--set',
      'config.logLevel=warn',
      '--kubeconfig',
      plane.kubeconfig,
      '--no-hooks',
      '--timeout',
      '2m',
    ]);
    expectSuccess(upgrade, 'helm upgrade');
    const after = (await stored('apps/v1', 'Deployment')) as Deployment[];
    const secretsAfter = (await stored('v1', 'Secret')) as Secret[];

    for (const name of ['api', 'worker']) {
      const checksum = (list: Deployment[]) =>
        component(list, name)?.spec.template.metadata?.annotations?.['checksum/config'];
      expect(checksum(before)).toBeDefined();
      expect({ [name]: checksum(after) }).not.toEqual({ [name]: checksum(before) });
    }
    const generated = ofKind<Secret>(rendered, 'Secret').filter(
      (s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'redis',
    );
    const redisRuns = rendered.some(
      (o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'redis',
    );
    expect(generated.length > 0).toBe(redisRuns);
    for (const s of generated) {
      const data = (list: Secret[]) => list.find((x) => x.metadata.name === s.metadata.name)?.data;
      expect(data(secretsAfter)).toEqual(data(secretsBefore));
    }
  });
});
