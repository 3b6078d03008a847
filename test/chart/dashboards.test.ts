import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { run } from './support/run';
import { REPO_ROOT } from './support/tools';
import { exportedSeriesNames, THIRD_PARTY_SERIES } from '../support/exported-metrics';
import { allPanels, dashboardQueries, listDashboards, loadDashboard, type DashboardQuery } from '../support/grafana';
import { selectedMetricNames, selectors, substituteGrafanaVariables } from '../support/promql';
import { pngSize, readPngText } from '../support/png';
import { findPromtool } from '../support/promtool';
import { recordedNames, renderRuleGroups, UNIT_RELEASE } from './support/rules';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS } from './support/tools';

const DASHBOARDS_DIR = path.join(REPO_ROOT, 'dashboards');
const files = listDashboards(DASHBOARDS_DIR);
const queries: DashboardQuery[] = files.flatMap((file) => dashboardQueries(file, loadDashboard(file)));
/** Series the chart's recording rules produce (every optional group rendered). */
let recorded: Set<string>;

beforeAll(async () => {
  recorded = new Set(recordedNames(await renderRuleGroups(await ensureK8sTools(RENDER_TOOLS), UNIT_RELEASE)));
}, TOOLS_TIMEOUT_MS);

test('the repository ships dashboards with queries', () => {
  expect(files.length).toBeGreaterThan(0);
  expect(queries.length).toBeGreaterThan(0);
});

describe.each(files.map((f) => [path.basename(f), f] as const))('%s', (_name, file) => {
  const dashboard = loadDashboard(file);

  test('is provisionable by the Grafana sidecar: fixed uid, no __inputs, datasource from a variable', () => {
    const datasourceVariables = (dashboard.templating?.list ?? []).filter((v) => v.type === 'datasource');

    expect(dashboard.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(dashboard.__inputs).toBeUndefined();
    expect(datasourceVariables.length).toBeGreaterThan(0);
    expect(JSON.stringify(dashboard)).not.toMatch(/\$\{DS_[A-Z_]+\}/);
  });

  test('every panel and query reads the datasource variable, never a fixed datasource', () => {
    const fixed: string[] = [];
    for (const panel of allPanels(dashboard)) {
      const sources = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)].filter(
        (d) => d !== undefined && d !== null,
      );
      for (const d of sources) {
        const uid = typeof d === 'string' ? d : (d as { uid?: string }).uid;
        if (uid !== undefined && !/^\$\{?datasource\}?$/.test(uid) && uid !== '-- Grafana --')
          fixed.push(`${panel.title ?? '?'}: ${uid}`);
      }
    }

    expect(fixed).toEqual([]);
  });

  test('has namespace and release variables, and every panel query selects by both', () => {
    const variables = (dashboard.templating?.list ?? []).map((v) => v.name);
    const unscoped: string[] = [];
    for (const panel of allPanels(dashboard)) {
      for (const target of panel.targets ?? []) {
        for (const selector of selectors(substituteGrafanaVariables(target.expr ?? ''))) {
          const labels = selector.matchers.filter((m) => m.op === '=').map((m) => m.label);
          if (!labels.includes('namespace') || !labels.includes('app_kubernetes_io_instance'))
            unscoped.push(`${panel.title ?? '?'}: ${selector.name}`);
        }
      }
    }

    expect(variables).toEqual(expect.arrayContaining(['namespace', 'release']));
    expect(unscoped).toEqual([]);
  });

  test('has unique panel ids', () => {
    const ids = allPanels(dashboard)
      .map((p) => (p as { id?: number }).id)
      .filter((id) => id !== undefined);

    expect(new Set(ids).size).toBe(ids.length);
  });
});

test('every dashboard query parses as PromQL (promtool check rules)', async () => {
  const promtool = findPromtool(REPO_ROOT);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-dashboards-'));
  try {
    // One group per query so promtool's error names the panel.
    const groups = queries.map((q, i) => ({
      name: `#${i} ${q.where}`,
      rules: [{ record: `offndat_dashboard_query_${i}`, expr: substituteGrafanaVariables(q.expr) }],
    }));
    const file = path.join(dir, 'dashboard-queries.rules.yaml');
    writeFileSync(file, stringify({ groups }));

    const result = await run(promtool, ['check', 'rules', file]);

    if (result.code !== 0) throw new Error(`promtool rejected dashboard queries:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toMatch(new RegExp(`SUCCESS: ${queries.length} rules found`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every metric a dashboard reads is exported, served by a named exporter or recorded by the chart', async () => {
  const exported = await exportedSeriesNames();
  const thirdParty = new Set(Object.values(THIRD_PARTY_SERIES).flat());

  const unknown: string[] = [];
  for (const q of queries) {
    const { names, unresolved } = selectedMetricNames(substituteGrafanaVariables(q.expr));
    for (const name of names)
      if (!exported.has(name) && !thirdParty.has(name) && !recorded.has(name)) unknown.push(`${q.where}: ${name}`);
    for (const matcher of unresolved) unknown.push(`${q.where}: unresolvable name matcher ${matcher}`);
  }

  expect(unknown).toEqual([]);
});

test('the dashboards show the recorded signals the autoscalers scale on', () => {
  const selected = new Set(queries.flatMap((q) => [...selectedMetricNames(substituteGrafanaVariables(q.expr)).names]));

  expect(selected).toContain('offndat:request_duration_seconds:p95_rate2m');
  expect(selected).toContain('offndat:queue_messages_ready');
});

test('every dashboard has a picture beside it, drawn from its current JSON (make dashboard-pictures)', () => {
  const stale: string[] = [];
  for (const file of files) {
    const picture = file.replace(/\.json$/, '.png');
    if (!existsSync(picture)) {
      stale.push(`${path.basename(picture)} is missing`);
      continue;
    }
    const png = readFileSync(picture);
    const { width, height } = pngSize(png);
    const text = readPngText(png);
    if (text['Source-SHA256'] !== createHash('sha256').update(readFileSync(file)).digest('hex'))
      stale.push(`${path.basename(picture)} was drawn from another version of ${path.basename(file)}`);
    if (!/live check/.test(text['Description'] ?? ''))
      stale.push(`${path.basename(picture)} was not drawn by the live check`);
    if (width < 1000 || height < 1000) stale.push(`${path.basename(picture)} is ${width}x${height}`);
  }

  expect(stale).toEqual([]);
});

test('no two dashboards share a uid or a title', () => {
  const dashboards = files.map(loadDashboard);

  expect(new Set(dashboards.map((d) => d.uid)).size).toBe(files.length);
  expect(new Set(dashboards.map((d) => d.title)).size).toBe(files.length);
});
