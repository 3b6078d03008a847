import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { exportedSeriesNames, THIRD_PARTY_SERIES } from '../support/exported-metrics';
import { selectedMetricNames } from '../support/promql';
import type { ScaledObject } from './support/shapes';
import { findPromtool } from '../support/promtool';
import { helmTemplate, listScenarios, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

interface RuleGroup {
  readonly name: string;
  readonly rules: readonly { readonly record?: string; readonly alert?: string; readonly expr: string }[];
}
type PrometheusRule = KubeObject & { readonly spec: { readonly groups: readonly RuleGroup[] } };

let tools: K8sTools;
let groupsByScenario: Map<string, RuleGroup[]>;
/** The PromQL the autoscalers run: KEDA prometheus triggers and the prometheus-adapter rules the chart ships. */
let scalingQueries: { where: string; expr: string }[];

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
  groupsByScenario = new Map();
  scalingQueries = [];
  for (const scenario of listScenarios()) {
    const rendered = await helmTemplate(tools, { valuesFile: scenarioValuesFile(scenario) });
    expectSuccess(rendered, 'helm template');
    const objects = parseManifests(rendered.stdout);
    groupsByScenario.set(
      scenario,
      ofKind<PrometheusRule>(objects, 'PrometheusRule').flatMap((r) => r.spec.groups),
    );
    scalingQueries.push(...kedaQueries(scenario, objects), ...adapterQueries(scenario, objects));
  }
}, TOOLS_TIMEOUT_MS);

test('the production scenario ships recording and alerting rules', () => {
  const rules = (groupsByScenario.get('production') ?? []).flatMap((g) => g.rules);

  expect(rules.some((r) => r.alert !== undefined)).toBe(true);
});

test('every rendered PrometheusRule passes promtool check rules', async () => {
  const promtool = findPromtool(REPO_ROOT);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-rules-'));
  try {
    for (const [scenario, groups] of groupsByScenario) {
      if (groups.length === 0) continue;
      const file = path.join(dir, `${scenario}.rules.yaml`);
      writeFileSync(file, stringify({ groups }));

      const result = await run(promtool, ['check', 'rules', file]);

      if (result.code !== 0)
        throw new Error(`${scenario}: promtool rejected the rules:\n${result.stdout}\n${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules read only series the services export, a named exporter serves, or another rule records', async () => {
  const known = new Set([...(await exportedSeriesNames()), ...Object.values(THIRD_PARTY_SERIES).flat()]);
  const unknown: string[] = [];
  for (const [scenario, groups] of groupsByScenario) {
    const recorded = new Set(groups.flatMap((g) => g.rules.map((r) => r.record).filter((r) => r !== undefined)));
    for (const group of groups) {
      for (const rule of group.rules) {
        const { names, unresolved } = selectedMetricNames(rule.expr);
        for (const n of names) if (!known.has(n) && !recorded.has(n)) unknown.push(`${scenario} ${group.name}: ${n}`);
        unknown.push(...unresolved.map((m) => `${scenario} ${group.name}: unresolvable ${m}`));
      }
    }
  }

  expect(unknown).toEqual([]);
});

test("the autoscalers' PromQL parses and reads only series the services export", async () => {
  const known = new Set([...(await exportedSeriesNames()), ...Object.values(THIRD_PARTY_SERIES).flat()]);
  const promtool = findPromtool(REPO_ROOT);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-scaling-'));
  try {
    const file = path.join(dir, 'scaling.rules.yaml');
    const groups = scalingQueries.map((q, i) => ({
      name: `#${i} ${q.where}`,
      rules: [{ record: `offndat_scaling_query_${i}`, expr: q.expr }],
    }));
    writeFileSync(file, stringify({ groups }));

    const result = await run(promtool, ['check', 'rules', file]);

    if (result.code !== 0) throw new Error(`promtool rejected scaling queries:\n${result.stdout}\n${result.stderr}`);
    expect(scalingQueries.map((q) => q.where)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^keda /), expect.stringMatching(/^production adapter/)]),
    );
    const unknown = scalingQueries.flatMap((q) =>
      [...selectedMetricNames(q.expr).names].filter((n) => !known.has(n)).map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function kedaQueries(scenario: string, objects: readonly KubeObject[]): { where: string; expr: string }[] {
  return ofKind<ScaledObject>(objects, 'ScaledObject').flatMap((so) =>
    so.spec.triggers
      .filter((t) => t.type === 'prometheus' && t.metadata?.['query'] !== undefined)
      .map((t) => ({ where: `${scenario} ScaledObject/${so.metadata.name}`, expr: t.metadata?.['query'] ?? '' })),
  );
}

/** prometheus-adapter rules are Go templates over PromQL; its placeholders become plain matchers and labels. */
function adapterQueries(scenario: string, objects: readonly KubeObject[]): { where: string; expr: string }[] {
  const configMaps = ofKind<KubeObject & { data?: Record<string, string> }>(objects, 'ConfigMap').filter(
    (c) => c.data?.['rules.yaml'] !== undefined,
  );
  return configMaps.flatMap((c) => {
    const config = parse(c.data?.['rules.yaml'] ?? '') as {
      rules?: Record<string, { seriesQuery: string; metricsQuery: string }[] | boolean>;
    };
    return Object.values(config.rules ?? {})
      .flatMap((rules) => (Array.isArray(rules) ? rules : []))
      .map((rule) => ({
        where: `${scenario} adapter ${rule.seriesQuery}`,
        expr: rule.metricsQuery
          .replaceAll('<<.Series>>', rule.seriesQuery.replace(/\{.*$/, ''))
          .replaceAll('<<.LabelMatchers>>', 'namespace="offndat"')
          .replaceAll('<<.GroupBy>>', 'namespace'),
      }));
  });
}
