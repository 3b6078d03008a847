import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { exportedSeriesNames, THIRD_PARTY_SERIES } from '../support/exported-metrics';
import { selectedMetricNames } from '../support/promql';
import type { ScaledObject } from './support/shapes';
import { findPromtool } from '../support/promtool';
import { helmTemplate, listScenarios, scenarioValuesFile } from './support/chart';
import { expectFailure, expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import {
  alertNames,
  recordedNames,
  renderRuleGroups,
  RULE_TESTS_DIR,
  UNIT_RELEASE,
  type RuleGroup,
} from './support/rules';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/** A promtool unit-test file (test/chart/prometheus-rules/*.test.yaml), as far as the coverage checks read it. */
interface RuleTestFile {
  readonly tests: readonly {
    readonly alert_rule_test?: readonly { readonly alertname: string; readonly exp_alerts?: readonly unknown[] }[];
    readonly promql_expr_test?: readonly { readonly expr: string }[];
  }[];
}

let tools: K8sTools;
let groupsByScenario: Map<string, RuleGroup[]>;
let unitGroups: RuleGroup[];
/** The PromQL the autoscalers run: KEDA prometheus triggers and the prometheus-adapter rules the chart ships. */
let scalingQueries: { where: string; scenario: string; expr: string }[];
const unitTestFiles = readdirSync(RULE_TESTS_DIR)
  .filter((f) => f.endsWith('.test.yaml'))
  .sort();

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
      ofKind<KubeObject & { spec: { groups: RuleGroup[] } }>(objects, 'PrometheusRule').flatMap((r) => r.spec.groups),
    );
    scalingQueries.push(...kedaQueries(scenario, objects), ...adapterQueries(scenario, objects));
  }
  unitGroups = await renderRuleGroups(tools, UNIT_RELEASE);
}, TOOLS_TIMEOUT_MS);

test('the production scenario ships recording and alerting rules', () => {
  const groups = groupsByScenario.get('production') ?? [];

  expect(alertNames(groups).length).toBeGreaterThan(0);
  expect(recordedNames(groups).length).toBeGreaterThan(0);
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
  for (const [scenario, groups] of [...groupsByScenario, ['unit', unitGroups] as const]) {
    const recorded = new Set(recordedNames(groups));
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

test("the autoscalers' PromQL parses and reads only series the chart's rules record", async () => {
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
    const notRecorded = scalingQueries.flatMap((q) => {
      const recorded = new Set(recordedNames(groupsByScenario.get(q.scenario) ?? []));
      return [...selectedMetricNames(q.expr).names].filter((n) => !recorded.has(n)).map((n) => `${q.where}: ${n}`);
    });
    expect(notRecorded).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the promtool unit tests pass against the rendered rules', async () => {
  const promtool = findPromtool(REPO_ROOT);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-rule-tests-'));
  try {
    // The test files name rules.yaml beside them.
    writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: unitGroups }));
    for (const file of unitTestFiles) copyFileSync(path.join(RULE_TESTS_DIR, file), path.join(dir, file));

    const result = await run(promtool, ['test', 'rules', ...unitTestFiles], { cwd: dir });

    expectSuccess(result, 'promtool test rules');
    expect(result.stdout.match(/SUCCESS/g)).toHaveLength(unitTestFiles.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every alert has a unit test where it fires and one where it stays quiet', () => {
  const firing = new Set<string>();
  const quiet = new Set<string>();
  for (const file of unitTestFiles) {
    const tests = (parse(readFileSync(path.join(RULE_TESTS_DIR, file), 'utf8')) as RuleTestFile).tests;
    for (const t of tests.flatMap((group) => group.alert_rule_test ?? [])) {
      ((t.exp_alerts ?? []).length > 0 ? firing : quiet).add(t.alertname);
    }
  }

  const names = alertNames(unitGroups);
  expect(names.filter((n) => !firing.has(n))).toEqual([]);
  expect(names.filter((n) => !quiet.has(n))).toEqual([]);
  expect([...firing, ...quiet].filter((n) => !names.includes(n))).toEqual([]);
});

test('every recording rule has a unit test that reads it', () => {
  const read = new Set<string>();
  for (const file of unitTestFiles) {
    const tests = (parse(readFileSync(path.join(RULE_TESTS_DIR, file), 'utf8')) as RuleTestFile).tests;
    for (const t of tests.flatMap((group) => group.promql_expr_test ?? [])) {
      for (const name of selectedMetricNames(t.expr).names) read.add(name);
      // A name regex such as {__name__=~"offndat:x:ratio_rate(1h|6h)"} reads every name it matches.
      for (const alternatives of t.expr.matchAll(/__name__=~"([^"]+)"/g)) {
        const pattern = new RegExp(`^(?:${alternatives[1] ?? ''})$`);
        for (const name of recordedNames(unitGroups)) if (pattern.test(name)) read.add(name);
      }
    }
  }

  expect(recordedNames(unitGroups).filter((n) => !read.has(n))).toEqual([]);
});

test('the unit tests render every alert the chart has a switch for', () => {
  const switches = Object.keys(
    (parse(readFileSync(path.join(REPO_ROOT, 'charts/offndat/values.yaml'), 'utf8')) as ChartValues).monitoring
      .prometheusRule.alerts,
  );

  expect(alertNames(unitGroups).sort()).toEqual([...switches].sort());
});

test('each switch turns off its alert and nothing else', async () => {
  const all = alertNames(unitGroups);
  const [first, second] = all;

  const without = await renderRuleGroups(tools, {
    ...UNIT_RELEASE,
    set: [
      `monitoring.prometheusRule.alerts.${first}.enabled=false`,
      `monitoring.prometheusRule.alerts.${second}.enabled=false`,
    ],
  });
  const none = await renderRuleGroups(tools, {
    ...UNIT_RELEASE,
    set: all.map((name) => `monitoring.prometheusRule.alerts.${name}.enabled=false`),
  });

  expect(alertNames(without).sort()).toEqual(all.filter((n) => n !== first && n !== second).sort());
  expect(alertNames(none)).toEqual([]);
  // The recording rules stay: the dashboards and the autoscalers read them whatever is alerted on.
  expect(recordedNames(none)).toEqual(recordedNames(unitGroups));
});

test('KEDA autoscaling renders the same alerts, watching the HPAs KEDA creates', async () => {
  const keda = await renderRuleGroups(tools, { ...UNIT_RELEASE, set: ['autoscaling.mode=keda'] });
  const unavailable = keda.flatMap((g) => g.rules).find((r) => r.alert === 'OffndatAutoscalerMetricsUnavailable');

  expect(alertNames(keda).sort()).toEqual(alertNames(unitGroups).sort());
  expect(unavailable?.expr).toContain('horizontalpodautoscaler=~"keda-hpa-links-offndat-(api|worker)"');
});

test('the autoscalers refuse to render without the rules whose series they read', async () => {
  const noRules = await helmTemplate(tools, { ...UNIT_RELEASE, set: ['monitoring.prometheusRule.enabled=false'] });

  expectFailure(noRules, /keep monitoring.prometheusRule.enabled/);
});

interface ChartValues {
  readonly monitoring: { readonly prometheusRule: { readonly alerts: Record<string, unknown> } };
}

function kedaQueries(
  scenario: string,
  objects: readonly KubeObject[],
): { where: string; scenario: string; expr: string }[] {
  return ofKind<ScaledObject>(objects, 'ScaledObject').flatMap((so) =>
    so.spec.triggers
      .filter((t) => t.type === 'prometheus' && t.metadata?.['query'] !== undefined)
      .map((t) => ({
        where: `${scenario} ScaledObject/${so.metadata.name}`,
        scenario,
        expr: t.metadata?.['query'] ?? '',
      })),
  );
}

/** prometheus-adapter rules are Go templates over PromQL; its placeholders become plain matchers and labels. */
function adapterQueries(
  scenario: string,
  objects: readonly KubeObject[],
): { where: string; scenario: string; expr: string }[] {
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
        scenario,
        expr: rule.metricsQuery
          .replaceAll('<<.Series>>', rule.seriesQuery.replace(/\{.*$/, ''))
          .replaceAll('<<.LabelMatchers>>', 'namespace="offndat"')
          .replaceAll('<<.GroupBy>>', 'namespace'),
      }));
  });
}
