import { helmTemplate, listScenarios, render, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { isHook, ofKind, type KubeObject } from './support/manifests';
import type { Job } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/**
 * Argo CD renders the chart itself (helm template, no cluster access) on every sync and applies the result:
 * whatever differs between two renders churns, and helm's hook phases map onto Argo CD's sync phases.
 */

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

const annotation = (o: KubeObject | undefined, key: string) => o?.metadata.annotations?.[key];

test.each(listScenarios())('%s: two renders are identical (no secret drawn at render time)', async (scenario) => {
  const first = await helmTemplate(tools, { valuesFile: scenarioValuesFile(scenario) });
  const second = await helmTemplate(tools, { valuesFile: scenarioValuesFile(scenario) });
  expectSuccess(first, 'helm template');

  expect(second.stdout).toEqual(first.stdout);
});

test('the chart renders no Secret with generated content; the Redis password comes from a Job that keeps it', async () => {
  const objects = await render(tools);
  const job = ofKind<Job>(objects, 'Job').find((j) => j.metadata.name.endsWith('-secrets'));
  const redisSecret = ofKind<Job>(objects, 'Deployment')
    .find((d) => d.metadata.name.endsWith('-redis'))
    ?.spec.template.spec.volumes?.find((v) => v.secret !== undefined)?.secret?.secretName;

  expect(ofKind(objects, 'Secret')).toEqual([]);
  expect(redisSecret).toBe('offndat-redis-auth');
  expect(job?.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'SECRET_NAME', value: redisSecret });
  expect(annotation(job, 'helm.sh/hook')).toBe('pre-install,pre-upgrade');
  expect(annotation(job, 'argocd.argoproj.io/hook')).toBe('PreSync');
});

test('with a Redis password of your own there is nothing to generate', async () => {
  const objects = await render(tools, { set: ['redis.internal.auth.existingSecret=mine'] });

  expect(objects.filter((o) => o.metadata.name.endsWith('-secrets')).map((o) => o.kind)).toEqual([]);
});

test('under Argo CD the migrations run after the data services and before the pods that need them', async () => {
  const objects = await render(tools, { valuesFile: scenarioValuesFile('production') });
  const wave = (o: KubeObject | undefined) => Number(annotation(o, 'argocd.argoproj.io/sync-wave') ?? 0);
  const migrations = ofKind(objects, 'Job').find((j) => j.metadata.name.endsWith('-migrate'));

  // A Sync hook, not PreSync: on a first sync the Cluster does not exist before the Sync phase.
  expect(annotation(migrations, 'argocd.argoproj.io/hook')).toBe('Sync');
  for (const kind of ['Cluster', 'RabbitmqCluster', 'Pooler'])
    for (const o of ofKind(objects, kind)) expect({ [kind]: wave(o) }).toEqual({ [kind]: 0 });
  expect(wave(migrations)).toBe(1);
  for (const kind of ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'])
    for (const o of ofKind(objects, kind).filter((x) => !x.metadata.name.endsWith('-redis')))
      expect({ [`${kind}/${o.metadata.name}`]: wave(o) }).toEqual({ [`${kind}/${o.metadata.name}`]: 2 });
});

test('every helm hook says what Argo CD should do with it', async () => {
  const objects = await render(tools);

  const unmapped = objects.filter((o) => isHook(o) && annotation(o, 'argocd.argoproj.io/hook') === undefined);

  expect(unmapped.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  // Argo CD does not run helm tests; the test pod must not be applied on every sync.
  expect(annotation(ofKind(objects, 'Pod')[0], 'argocd.argoproj.io/hook')).toBe('Skip');
});
