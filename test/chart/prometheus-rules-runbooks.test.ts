import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { alertNames, alertRules, renderRuleGroups, UNIT_RELEASE, type RuleGroup } from './support/rules';
import { parse } from 'yaml';
import { CHART_DIR } from './support/chart';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS } from './support/tools';

/** Every alert the chart can raise (all of them on, every optional group rendered) links a runbook that exists. */

const RUNBOOKS_DIR = path.join(REPO_ROOT, 'docs/runbooks');
/** The sections of a runbook, in order, as the monitoring mixins write them. */
const SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'];

let groups: RuleGroup[];
/** The same alerts rendered without monitoring.prometheusRule.runbookBaseUrl. */
let unpublished: RuleGroup[];

beforeAll(async () => {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  groups = await renderRuleGroups(tools, UNIT_RELEASE);
  unpublished = await renderRuleGroups(tools, { ...UNIT_RELEASE, set: ['monitoring.prometheusRule.runbookBaseUrl='] });
}, TOOLS_TIMEOUT_MS);

test('every alert links its runbook under the configured base URL', () => {
  const wrong = alertRules(groups)
    .filter((r) => r.annotations?.['runbook_url'] !== `https://runbooks.example.org/offndat/${r.alert ?? ''}.md`)
    .map((r) => `${r.alert ?? ''}: ${r.annotations?.['runbook_url'] ?? '(none)'}`);

  expect(alertRules(groups).length).toBeGreaterThan(0);
  expect(wrong).toEqual([]);
});

test('without a base URL every alert names its runbook in the chart package, which holds it', () => {
  const chart = parse(readFileSync(path.join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
  const wrong = alertRules(unpublished)
    .filter(
      (r) =>
        r.annotations?.['runbook_url'] !== undefined ||
        r.annotations?.['runbook'] !== `runbooks/${r.alert ?? ''}.md in the ${chart.name} chart ${chart.version}` ||
        !existsSync(path.join(CHART_DIR, 'runbooks', `${r.alert ?? ''}.md`)),
    )
    .map((r) => `${r.alert ?? ''}: ${JSON.stringify(r.annotations)}`);

  expect(alertRules(unpublished).length).toBe(alertRules(groups).length);
  expect(wrong).toEqual([]);
});

test('every alert has a summary, a description and a severity', () => {
  const incomplete = alertRules(groups)
    .filter(
      (r) =>
        !r.annotations?.['summary'] ||
        !r.annotations['description'] ||
        !['critical', 'warning'].includes(r.labels?.['severity'] ?? ''),
    )
    .map((r) => r.alert);

  expect(incomplete).toEqual([]);
});

test('every alert has a runbook with Meaning, Impact, Diagnosis and Mitigation, in that order', () => {
  const problems: string[] = [];
  for (const name of alertNames(groups)) {
    const file = path.join(RUNBOOKS_DIR, `${name}.md`);
    if (!existsSync(file)) {
      problems.push(`${name}: no docs/runbooks/${name}.md`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]?.trim());
    if (!text.startsWith(`# ${name}\n`)) problems.push(`${name}: does not open with "# ${name}"`);
    if (JSON.stringify(headings.filter((h) => SECTIONS.includes(h ?? ''))) !== JSON.stringify(SECTIONS))
      problems.push(`${name}: sections ${JSON.stringify(headings)}`);
    for (const section of SECTIONS) {
      const body = text.split(`## ${section}\n`)[1]?.split(/^## /m)[0]?.trim() ?? '';
      if (body.length < 40) problems.push(`${name}: "${section}" is empty`);
    }
  }

  expect(problems).toEqual([]);
});

test('every runbook belongs to an alert, and the index lists each one', () => {
  const names = alertNames(groups);
  const files = readdirSync(RUNBOOKS_DIR)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3));
  const index = readFileSync(path.join(RUNBOOKS_DIR, 'README.md'), 'utf8');

  expect(files.filter((f) => !names.includes(f))).toEqual([]);
  expect(names.filter((n) => !index.includes(`[${n}](${n}.md)`))).toEqual([]);
});
