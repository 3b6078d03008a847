import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, helmTemplate, kubectlValidate, listScenarios, scenarioValuesFile } from './support/chart';
import { expectFailure, expectSuccess } from './support/expect-run';
import { parseManifests } from './support/manifests';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/**
 * The oldest Kubernetes the chart supports and the newest the pinned kubectl-validate embeds (also the local
 * control plane's minor): the rendered objects must be valid for both.
 */
const KUBE_VERSIONS = ['1.31', '1.35'] as const;

const scenarios = listScenarios();
let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

test('the chart ships the ci scenarios', () => {
  expect(scenarios).toEqual(expect.arrayContaining(['external', 'keda', 'minimal', 'production']));
});

describe.each(scenarios)('%s scenario', (scenario) => {
  const valuesFile = scenarioValuesFile(scenario);

  test.each(KUBE_VERSIONS)('passes helm lint --strict for Kubernetes %s', async (version) => {
    const result = await run(tools.helm, [
      'lint',
      '--strict',
      CHART_DIR,
      '--values',
      valuesFile,
      '--kube-version',
      `${version}.0`,
    ]);

    expectSuccess(result, 'helm lint');
  });

  test.each(KUBE_VERSIONS)(
    'renders objects that kubectl-validate accepts for Kubernetes %s, CRDs included',
    async (version) => {
      const rendered = await helmTemplate(tools, { valuesFile, kubeVersion: `${version}.0` });
      expectSuccess(rendered, 'helm template');

      const validated = await kubectlValidate(tools, rendered.stdout, version);

      expect(parseManifests(rendered.stdout).length).toBeGreaterThan(0);
      expectSuccess(validated, `kubectl-validate --version ${version}`);
    },
  );
});

describe('values.schema.json', () => {
  const values = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;

  test('rejects an unknown top-level key', async () => {
    const result = await helmTemplate(tools, { set: ['notAValuesKey=1'] });

    expectFailure(result, /notAValuesKey|additional propert/i, 'helm template');
  });

  test('rejects an unknown key inside a section', async () => {
    // `global` is Helm's namespace shared with parent charts, which may put their own keys in it.
    const section = Object.keys(values).find((k) => k !== 'global' && isObject(values[k]));
    if (section === undefined) throw new Error('values.yaml has no object section');

    const result = await helmTemplate(tools, { set: [`${section}.notAValuesKey=1`] });

    expectFailure(result, /notAValuesKey|additional propert/i, 'helm template');
  });

  test('rejects a number given as a string', async () => {
    const numberPath = findLeaf(values, (v) => typeof v === 'number');
    if (numberPath === undefined) throw new Error('values.yaml has no numeric value');

    const result = await helmTemplate(tools, { set: [`${numberPath}=not-a-number`] });

    expectFailure(result, /schema|type|expected|got string/i, 'helm template');
  });

  test('rejects a boolean given as a string', async () => {
    const booleanPath = findLeaf(values, (v) => typeof v === 'boolean');
    if (booleanPath === undefined) throw new Error('values.yaml has no boolean value');

    const result = await helmTemplate(tools, { set: [`${booleanPath}=maybe`] });

    expectFailure(result, /schema|type|expected|got string/i, 'helm template');
  });
});

describe('the validator itself (so a green run means something)', () => {
  test('kubectl-validate rejects an unknown field in a built-in kind', async () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\nnotAField: 1\n';

    expectFailure(await kubectlValidate(tools, bad, '1.35'), /notAField|unknown field/i, 'kubectl-validate');
  });

  test('kubectl-validate checks custom resources against the downloaded CRDs', async () => {
    const bad = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: x}\nspec: {instances: many}\n';

    expectFailure(await kubectlValidate(tools, bad, '1.35'), /instances|integer/i, 'kubectl-validate');
  });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted --set path of the first leaf matching `predicate`, depth first; keys with dots are skipped. */
function findLeaf(node: Record<string, unknown>, predicate: (v: unknown) => boolean, prefix = ''): string | undefined {
  for (const [key, value] of Object.entries(node)) {
    if (key.includes('.')) continue;
    const here = prefix === '' ? key : `${prefix}.${key}`;
    if (predicate(value)) return here;
    if (isObject(value)) {
      const found = findLeaf(value, predicate, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
