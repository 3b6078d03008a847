import { readFileSync } from 'node:fs';
import path from 'node:path';
import { helmTemplate, listScenarios, RELEASE, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { listDashboards, type Dashboard } from '../support/grafana';

/** Checks on the rendered output that neither kubectl-validate nor the API server makes. */

let tools: K8sTools;
const renders = new Map<string, KubeObject[]>();

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
  for (const scenario of listScenarios()) {
    const rendered = await helmTemplate(tools, { valuesFile: scenarioValuesFile(scenario) });
    expectSuccess(rendered, `helm template (${scenario})`);
    renders.set(scenario, parseManifests(rendered.stdout));
  }
}, TOOLS_TIMEOUT_MS);

test.each(listScenarios())(
  '%s: no two objects share a kind and name (one would silently replace the other)',
  (scenario) => {
    const keys = (renders.get(scenario) ?? []).map(
      (o) => `${o.apiVersion.split('/')[0] ?? ''} ${o.kind} ${o.metadata.name}`,
    );

    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  },
);

test.each(listScenarios())("%s: every object carries the release's standard labels", (scenario) => {
  const unlabelled = (renders.get(scenario) ?? [])
    .filter(
      (o) =>
        o.metadata.labels?.['app.kubernetes.io/instance'] !== 'offndat' ||
        o.metadata.labels['app.kubernetes.io/name'] === undefined,
    )
    .map((o) => `${o.kind}/${o.metadata.name}`);

  expect(unlabelled).toEqual([]);
});

test("the dashboards ConfigMap carries every dashboard, its uid, title and variables made this release's", () => {
  const files = listDashboards(path.join(REPO_ROOT, 'dashboards'));
  const configMaps = ofKind<KubeObject & { data?: Record<string, string> }>(
    renders.get('production') ?? [],
    'ConfigMap',
  ).filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1');

  expect(configMaps).toHaveLength(1);
  const data = configMaps[0]?.data ?? {};
  expect(Object.keys(data).sort()).toEqual(files.map((f) => `offndat-${path.basename(f)}`).sort());
  for (const file of files) {
    const source = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
    const shipped = JSON.parse(data[`offndat-${path.basename(file)}`] ?? 'null') as Dashboard;
    const current = (d: Dashboard, name: string) => d.templating?.list?.find((v) => v.name === name)?.current;

    expect(shipped.uid).toMatch(new RegExp(`^${source.uid ?? ''}-[0-9a-f]{8}$`));
    expect(shipped.title).toBe(`${source.title ?? ''} (offndat/${RELEASE})`);
    expect(current(shipped, 'namespace')).toEqual({ selected: true, text: 'offndat', value: 'offndat' });
    expect(current(shipped, 'release')).toEqual({ selected: true, text: RELEASE, value: RELEASE });
    expect(shipped.panels).toEqual(source.panels);
  }
});

test('two releases ship dashboards with different uids and titles', async () => {
  const other = await helmTemplate(tools, {
    valuesFile: scenarioValuesFile('production'),
    namespace: 'elsewhere',
  });
  expectSuccess(other, 'helm template');
  const uids = (objects: readonly KubeObject[]) =>
    ofKind<KubeObject & { data?: Record<string, string> }>(objects, 'ConfigMap')
      .filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1')
      .flatMap((c) => Object.values(c.data ?? {}).map((json) => (JSON.parse(json) as Dashboard).uid));

  const here = uids(renders.get('production') ?? []);
  const there = uids(parseManifests(other.stdout));

  expect(here.length).toBeGreaterThan(0);
  expect(there.filter((uid) => here.includes(uid))).toEqual([]);
});

test('k8s/prometheus-adapter/rules.yaml is what the chart renders (render.sh --check)', async () => {
  const result = await run(path.join(REPO_ROOT, 'k8s/prometheus-adapter/render.sh'), ['--check'], {
    env: { ...process.env, HELM_BIN: tools.helm },
  });

  expectSuccess(result, 'k8s/prometheus-adapter/render.sh --check');
});
