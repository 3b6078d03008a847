import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { run } from './support/run';
import { REPO_ROOT, TOOLS_TIMEOUT_MS } from './support/tools';

/** What chart repositories and `ct lint` read besides the templates: Chart.yaml and the generated README. */

const chart = parse(readFileSync(path.join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;

/**
 * chart-testing's Chart.yaml schema (etc/chart_schema.yaml, yamale, strict: no other keys): each key with whether
 * ct requires it and the type it accepts.
 */
const CT_SCHEMA: Record<string, { required: boolean; valid: (v: unknown) => boolean }> = {
  name: { required: true, valid: isString },
  home: { required: true, valid: isString },
  version: { required: true, valid: isString },
  apiVersion: { required: true, valid: isString },
  appVersion: { required: false, valid: (v) => isString(v) || typeof v === 'number' },
  description: { required: true, valid: isString },
  keywords: { required: false, valid: (v) => Array.isArray(v) && v.every(isString) },
  sources: { required: false, valid: (v) => Array.isArray(v) && v.every(isString) },
  maintainers: {
    required: false,
    valid: (v) =>
      Array.isArray(v) &&
      v.every(
        (m: Record<string, unknown>) =>
          isString(m['name']) && Object.keys(m).every((k) => ['name', 'email', 'url'].includes(k) && isString(m[k])),
      ),
  },
  icon: { required: false, valid: isString },
  engine: { required: false, valid: isString },
  condition: { required: false, valid: isString },
  tags: { required: false, valid: isString },
  deprecated: { required: false, valid: (v) => typeof v === 'boolean' },
  kubeVersion: { required: false, valid: isString },
  annotations: {
    required: false,
    valid: (v) => typeof v === 'object' && v !== null && Object.values(v).every(isString),
  },
  type: { required: false, valid: isString },
};

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

test("Chart.yaml passes chart-testing's schema, with the links chart repositories show", () => {
  const problems = [
    ...Object.entries(CT_SCHEMA)
      .filter(([key, rule]) => (key in chart ? !rule.valid(chart[key]) : rule.required))
      .map(([key]) => `${key}: missing or of the wrong type`),
    ...Object.keys(chart)
      .filter((key) => !(key in CT_SCHEMA))
      .map((key) => `${key}: not in chart-testing's schema`),
  ];

  expect(problems).toEqual([]);
  for (const key of ['home', 'icon']) expect(chart[key]).toMatch(/^https:\/\//);
  expect((chart['sources'] as string[]).length).toBeGreaterThan(0);
});

test(
  'the chart README is what helm-docs generates from values.yaml (no drift)',
  async () => {
    const result = await run(path.join(REPO_ROOT, 'scripts/chart-docs.sh'), ['--check']);

    expectSuccess(result, 'scripts/chart-docs.sh --check');
  },
  TOOLS_TIMEOUT_MS,
);

test('every value is documented in the README', () => {
  const readme = readFileSync(path.join(CHART_DIR, 'README.md'), 'utf8');

  const undocumented = readme.split('\n').filter((line) => /^\| [a-zA-Z]/.test(line) && /\|\s+\|$/.test(line));

  expect(undocumented).toEqual([]);
});

test('no command in the docs upgrades with --reuse-values (it drops values a new chart adds)', () => {
  const docs = ['README.md', 'docs/kubernetes.md', 'charts/offndat/README.md'].map((f) =>
    readFileSync(path.join(REPO_ROOT, f), 'utf8'),
  );

  const commands = docs.flatMap((text) => [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''));

  expect(commands.length).toBeGreaterThan(5);
  expect(commands.filter((c) => /--reuse-values/.test(c))).toEqual([]);
});
