import { readFileSync } from 'node:fs';
import path from 'node:path';
import { helmTemplate, listScenarios, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { listDashboards } from '../support/grafana';

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

test('the dashboards ConfigMap carries every dashboard verbatim, for the Grafana sidecar', () => {
  const files = listDashboards(path.join(REPO_ROOT, 'dashboards'));
  const configMaps = ofKind<KubeObject & { data?: Record<string, string> }>(
    renders.get('production') ?? [],
    'ConfigMap',
  ).filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1');

  expect(configMaps).toHaveLength(1);
  const data = configMaps[0]?.data ?? {};
  expect(Object.keys(data).sort()).toEqual(files.map((f) => `offndat-${path.basename(f)}`).sort());
  for (const file of files) {
    expect(JSON.parse(data[`offndat-${path.basename(file)}`] ?? 'null')).toEqual(
      JSON.parse(readFileSync(file, 'utf8')),
    );
  }
});

test('k8s/prometheus-adapter/rules.yaml is what the chart renders (render.sh --check)', async () => {
  const result = await run(path.join(REPO_ROOT, 'k8s/prometheus-adapter/render.sh'), ['--check'], {
    env: { ...process.env, HELM_BIN: tools.helm },
  });

  expectSuccess(result, 'k8s/prometheus-adapter/render.sh --check');
});
