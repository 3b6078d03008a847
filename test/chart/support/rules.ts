import path from 'node:path';
import { helmTemplate, type TemplateOptions } from './chart';
import { expectSuccess } from './expect-run';
import { ofKind, parseManifests, type KubeObject } from './manifests';
import { REPO_ROOT, type K8sTools } from './tools';

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export type PrometheusRule = KubeObject & { readonly spec: { readonly groups: readonly RuleGroup[] } };

/** Where the promtool unit tests live, with the values of the release they are written against. */
export const RULE_TESTS_DIR = path.join(REPO_ROOT, 'test/chart/prometheus-rules');

/** The release the unit tests describe: "links" in "prod", every alert on (see values.yaml there). */
export const UNIT_RELEASE: TemplateOptions = {
  release: 'links',
  namespace: 'prod',
  valuesFile: path.join(RULE_TESTS_DIR, 'values.yaml'),
};

/** The rule groups of the chart's PrometheusRule(s) as rendered with these options. */
export async function renderRuleGroups(tools: K8sTools, options: TemplateOptions): Promise<RuleGroup[]> {
  const rendered = await helmTemplate(tools, options);
  expectSuccess(rendered, 'helm template');
  return ofKind<PrometheusRule>(parseManifests(rendered.stdout), 'PrometheusRule').flatMap((r) => r.spec.groups);
}

export const alertRules = (groups: readonly RuleGroup[]): Rule[] =>
  groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);

export const alertNames = (groups: readonly RuleGroup[]): string[] => [
  ...new Set(alertRules(groups).map((r) => r.alert ?? '')),
];

export const recordedNames = (groups: readonly RuleGroup[]): string[] => [
  ...new Set(
    groups
      .flatMap((g) => g.rules)
      .map((r) => r.record)
      .filter((r) => r !== undefined),
  ),
];
