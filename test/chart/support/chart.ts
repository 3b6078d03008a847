import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { parseManifests, type KubeObject } from './manifests';
import { run, type RunResult } from './run';
import { REPO_ROOT, type K8sTools } from './tools';

export const CHART_DIR = path.join(REPO_ROOT, 'charts/offndat');
export const RELEASE = 'offndat';

/** Scenario names from charts/offndat/ci/<name>-values.yaml, the files chart-testing would install one by one. */
export function listScenarios(): string[] {
  return readdirSync(path.join(CHART_DIR, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .map((f) => f.slice(0, -'-values.yaml'.length))
    .sort();
}

export function scenarioValuesFile(scenario: string): string {
  return path.join(CHART_DIR, 'ci', `${scenario}-values.yaml`);
}

const apiVersionFlags = new Map<string, string[]>();

/**
 * `--api-versions` flags announcing every group/version and group/version/Kind of the downloaded CRDs, so
 * `helm template` renders the Capabilities-guarded custom resources as it would on a cluster with the operators.
 * Parsing the CRDs takes seconds, so each directory is read once per test file.
 */
export function crdApiVersionFlags(crdsDir: string): string[] {
  const known = apiVersionFlags.get(crdsDir);
  if (known !== undefined) return known;
  const flags: string[] = [];
  for (const file of readdirSync(crdsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    for (const crd of parseManifests(readFileSync(path.join(crdsDir, file), 'utf8'))) {
      const spec = crd['spec'] as {
        group: string;
        names: { kind: string };
        versions: { name: string; served: boolean }[];
      };
      for (const version of spec.versions.filter((v) => v.served)) {
        flags.push('--api-versions', `${spec.group}/${version.name}`);
        flags.push('--api-versions', `${spec.group}/${version.name}/${spec.names.kind}`);
      }
    }
  }
  apiVersionFlags.set(crdsDir, flags);
  return flags;
}

export interface TemplateOptions {
  readonly valuesFile?: string;
  /** More values, given after valuesFile (as a second --values file). */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly set?: readonly string[];
  /** e.g. "1.31.0"; helm's default is the client-go version it was built with. */
  readonly kubeVersion?: string;
  readonly namespace?: string;
  readonly release?: string;
}

export async function helmTemplate(tools: K8sTools, options: TemplateOptions = {}): Promise<RunResult> {
  const args = ['template', options.release ?? RELEASE, CHART_DIR, '--namespace', options.namespace ?? 'offndat'];
  if (options.valuesFile !== undefined) args.push('--values', options.valuesFile);
  const dir = options.values === undefined ? undefined : mkdtempSync(path.join(os.tmpdir(), 'offndat-values-'));
  try {
    if (dir !== undefined) {
      writeFileSync(path.join(dir, 'values.yaml'), stringify(options.values));
      args.push('--values', path.join(dir, 'values.yaml'));
    }
    for (const s of options.set ?? []) args.push('--set', s);
    if (options.kubeVersion !== undefined) args.push('--kube-version', options.kubeVersion);
    args.push(...crdApiVersionFlags(tools.crdsDir));
    return await run(tools.helm, args);
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders the chart and parses the objects; fails the test with helm's own message when it does not render. */
export async function render(tools: K8sTools, options: TemplateOptions = {}): Promise<KubeObject[]> {
  const result = await helmTemplate(tools, options);
  if (result.code !== 0) throw new Error(`helm template exited ${result.code}\n${result.stderr}`);
  return parseManifests(result.stdout);
}

/** Runs kubectl-validate on rendered YAML for one Kubernetes version (must be one it embeds: no downloads). */
export async function kubectlValidate(tools: K8sTools, rendered: string, version: string): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-validate-'));
  try {
    const file = path.join(dir, 'rendered.yaml');
    writeFileSync(file, rendered);
    return await run(tools.kubectlValidate, [file, '--version', version, '--local-crds', tools.crdsDir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
